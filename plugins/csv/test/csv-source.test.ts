import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isUstError, type SourceError } from '@ust-sync/api'
import { ALL, csvSource, readAll, scratchDir, writeFixture } from './helpers.js'

let dir: string
let remove: () => Promise<void>
beforeAll(async () => ({ dir, remove } = await scratchDir()))
afterAll(async () => remove())

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(isUstError(error)).toBe(true)
  return error as SourceError
}

describe('delimiter', () => {
  it('uses a comma for .csv files', async () => {
    const file = await writeFixture(dir, 'comma.csv', 'email,firstname,groups\nann@corp.example,Ann,"Design, Web"\n')
    const { users } = await readAll(file)
    expect(users).toEqual([
      expect.objectContaining({ email: 'ann@corp.example', firstname: 'Ann', groups: ['Design', ' Web'] }),
    ])
  })

  it('uses a tab for other extensions', async () => {
    const file = await writeFixture(dir, 'tabbed.tsv', 'email\tfirstname\tlastname\nann@corp.example\tAnn\tLee, Jr.\n')
    const { users } = await readAll(file)
    expect(users[0]).toMatchObject({ firstname: 'Ann', lastname: 'Lee, Jr.' })
  })

  it('detects a semicolon from the header when the comma would give one column', async () => {
    const file = await writeFixture(
      dir,
      'excel-de.csv',
      'email;firstname;lastname;groups\nann@corp.example;Ann;Lee;Design,Web\n',
    )
    const { users } = await readAll(file)
    expect(users[0]).toMatchObject({ email: 'ann@corp.example', lastname: 'Lee', groups: ['Design', 'Web'] })
  })

  it('detects a comma in a .txt file', async () => {
    const file = await writeFixture(dir, 'export.txt', 'email,firstname\nann@corp.example,Ann\n')
    expect((await readAll(file)).users[0]).toMatchObject({ firstname: 'Ann' })
  })

  it('uses an explicit delimiter as written', async () => {
    const file = await writeFixture(dir, 'piped.csv', 'email|firstname\nann@corp.example|Ann\n')
    expect((await readAll(file, { delimiter: '|' })).users[0]).toMatchObject({ firstname: 'Ann' })
  })
})

describe('columns', () => {
  it('reads every attribute from the default column names', async () => {
    const file = await writeFixture(
      dir,
      'full.csv',
      'firstname,lastname,email,country,groups,type,username,domain\n' +
        'Ann,Lee,ann@corp.example,de,Design,federatedid,alee,corp.example\n' +
        'Bob,Ray,bob@corp.example,,,,,\n',
    )
    const { users, warnings } = await readAll(file)
    expect(warnings).toEqual([])
    expect(users[0]).toMatchObject({
      email: 'ann@corp.example',
      firstname: 'Ann',
      lastname: 'Lee',
      country: 'DE',
      groups: ['Design'],
      identityType: 'federatedID',
      username: 'alee',
      domain: 'corp.example',
      origin: expect.stringMatching(/full\.csv:2$/),
    })
    expect(users[1]).toEqual(expect.objectContaining({ email: 'bob@corp.example', groups: [] }))
    expect(users[1]!.country).toBeUndefined()
    expect(users[1]!.identityType).toBeUndefined()
  })

  it('maps renamed columns through *_column_name', async () => {
    const file = await writeFixture(
      dir,
      'hr.csv',
      'Mail,Given,Family,Land,Teams,Kind,Login,Realm\ncy@corp.example,Cy,Dee,fr,Ops,enterpriseID,cdee,\n',
    )
    const { users } = await readAll(file, {
      email_column_name: 'Mail',
      first_name_column_name: 'Given',
      last_name_column_name: 'Family',
      country_column_name: 'Land',
      groups_column_name: 'Teams',
      identity_type_column_name: 'Kind',
      username_column_name: 'Login',
      domain_column_name: 'Realm',
    })
    expect(users[0]).toMatchObject({
      email: 'cy@corp.example',
      firstname: 'Cy',
      lastname: 'Dee',
      country: 'FR',
      groups: ['Ops'],
      identityType: 'enterpriseID',
      username: 'cdee',
      domain: 'corp.example',
    })
  })

  it('applies user_identity_type to rows without a type', async () => {
    const file = await writeFixture(dir, 'typed.csv', 'email,type\nann@corp.example,\nbob@corp.example,adobeid\n')
    const { users } = await readAll(file, { user_identity_type: 'federatedID' })
    expect(users.map((user) => user.identityType)).toEqual(['federatedID', 'adobeID'])
  })

  it('keeps a user with an unknown identity type for matching, marked not creatable with file:line', async () => {
    const file = await writeFixture(dir, 'badtype.csv', 'email,type\nann@corp.example,federated\n')
    const { users, warnings } = await readAll(file, { user_identity_type: 'enterpriseID' })
    expect(users).toHaveLength(1)
    expect(warnings).toEqual([])
    expect(users[0]!.notCreatable).toMatch(
      /badtype\.csv:2: identity type "federated" of ann@corp\.example is not .*; the user is not created/,
    )
  })

  it('keeps extended attributes for extension hooks', async () => {
    const file = await writeFixture(dir, 'ext.csv', 'email,department\nann@corp.example,R&D\n')
    const users = (
      await csvSource({ file_path: file }, dir).read({ ...ALL, extendedAttributes: ['department', 'title'] })
    ).users
    expect(users[0]!.attributes).toMatchObject({ email: 'ann@corp.example', department: 'R&D', title: undefined })
    // Without extended attributes (what ust asks for), no attributes are built.
    expect((await readAll(file)).users[0]!.attributes).toBeUndefined()
  })
})

describe('groups and selection', () => {
  const roster = 'email,groups\nann@corp.example," Design , Web ,"\nbob@corp.example,marketing\ncy@corp.example,\n'

  it('splits the comma-separated groups cell, passing names on as written (the engine trims and warns)', async () => {
    const file = await writeFixture(dir, 'roster.csv', roster)
    const { users } = await readAll(file)
    expect(users.map((user) => user.groups)).toEqual([['Design ', ' Web '], ['marketing'], []])
  })

  it('returns only members of the selected groups, names compared case-insensitively and trimmed', async () => {
    const file = await writeFixture(dir, 'roster2.csv', roster)
    const source = csvSource({ file_path: file }, dir)
    const { users } = await source.read({ groups: [' design', 'MARKETING '], allUsers: false, extendedAttributes: [] })
    expect(users.map((user) => user.email)).toEqual(['ann@corp.example', 'bob@corp.example'])
    expect(users[0]!.groups).toEqual(['Design ', ' Web '])
  })

  it('returns everyone with allUsers', async () => {
    const file = await writeFixture(dir, 'roster3.csv', roster)
    const { users } = await csvSource({ file_path: file }, dir).read({
      groups: ['Design'],
      allUsers: true,
      extendedAttributes: [],
    })
    expect(users).toHaveLength(3)
  })
})

describe('skipped rows and merges', () => {
  it('skips rows without a valid email, with a warning naming file and line', async () => {
    const file = await writeFixture(
      dir,
      'holes.csv',
      'email,firstname\nann@corp.example,Ann\n,Nobody\nbob.corp.example,Bob\n\ncy@corp.example,Cy\n',
    )
    const { users, warnings } = await readAll(file)
    expect(users.map((user) => user.email)).toEqual(['ann@corp.example', 'cy@corp.example'])
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toMatch(/holes\.csv:3: missing email \(column "email"\); row skipped$/)
    expect(warnings[1]).toMatch(/holes\.csv:4: invalid email "bob\.corp\.example"; row skipped$/)
  })

  it('merges rows with the same email: groups unioned, last non-empty attribute wins', async () => {
    const file = await writeFixture(
      dir,
      'dupes.csv',
      'email,firstname,lastname,country,groups\n' +
        'ann@corp.example,Ann,Lee,US,Design\n' +
        'bob@corp.example,Bob,Ray,US,Web\n' +
        'ANN@corp.example,Annie,,,"design,Marketing"\n',
    )
    const { users, warnings } = await readAll(file)
    expect(warnings).toEqual([])
    expect(users).toHaveLength(2)
    expect(users[0]).toMatchObject({
      email: 'ann@corp.example',
      firstname: 'Annie',
      lastname: 'Lee',
      country: 'US',
      groups: ['Design', 'Marketing'],
      origin: expect.stringMatching(/dupes\.csv:2$/),
    })
  })

  it('a merge adds groups to that user only, not to others with the same groups cell', async () => {
    const file = await writeFixture(
      dir,
      'shared.csv',
      'email,groups\nann@corp.example,Design\nbob@corp.example,Design\nann@corp.example,Web\ncy@corp.example,Design\n',
    )
    const { users } = await readAll(file)
    expect(users.map((user) => [user.email, user.groups])).toEqual([
      ['ann@corp.example', ['Design', 'Web']],
      ['bob@corp.example', ['Design']],
      ['cy@corp.example', ['Design']],
    ])
  })
})

describe('encodings', () => {
  it('reads a latin1 file with string_encoding: latin1', async () => {
    const file = await writeFixture(
      dir,
      'latin1.csv',
      Buffer.from('email,firstname,lastname\njose@corp.example,José,Müller\n', 'latin1'),
    )
    const { users } = await readAll(file, { string_encoding: 'latin1' })
    expect(users[0]).toMatchObject({ firstname: 'José', lastname: 'Müller' })
  })

  it('reads a cp1252 file', async () => {
    const file = await writeFixture(
      dir,
      'cp1252.csv',
      Buffer.from([...Buffer.from('email,lastname\nzoe@corp.example,'), 0x8a, 0x65]),
    )
    expect((await readAll(file, { string_encoding: 'cp1252' })).users[0]!.lastname).toBe('Še')
  })

  it('refuses a latin1 file read as UTF-8, naming the line and the setting', async () => {
    const file = await writeFixture(
      dir,
      'latin1-as-utf8.csv',
      Buffer.from('email,firstname\nann@corp.example,Ann\njose@corp.example,José\n', 'latin1'),
    )
    const error = await failure(readAll(file))
    expect(error.code).toBe('source.csv.encoding')
    expect(error.message).toMatch(/latin1-as-utf8\.csv:3: the file is not valid UTF-8/)
    expect(error.suggestions.join(' ')).toContain('string_encoding')
  })

  it('strips a UTF-8 byte-order mark so the first column is still "email"', async () => {
    const file = await writeFixture(
      dir,
      'bom.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('email,firstname\nann@corp.example,Ann\n')]),
    )
    expect((await readAll(file)).users[0]).toMatchObject({ email: 'ann@corp.example', firstname: 'Ann' })
  })

  it('reads UTF-16 with a byte-order mark', async () => {
    const text = 'email\tfirstname\nann@corp.example\tÅsa\n'
    const file = await writeFixture(
      dir,
      'utf16.txt',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    )
    expect((await readAll(file, { string_encoding: 'utf-16' })).users[0]).toMatchObject({ firstname: 'Åsa' })
  })

  it('rejects an unknown encoding or identity type when the source is created', () => {
    expect(() => csvSource({ file_path: 'x.csv', string_encoding: 'klingon' }, dir)).toThrow(
      /Unknown string_encoding "klingon" in connector-csv.yml/,
    )
    expect(() => csvSource({ file_path: 'x.csv', user_identity_type: 'federated' }, dir)).toThrow(
      /Invalid user_identity_type "federated"/,
    )
  })
})

describe('structural failures', () => {
  it('fails on a missing file, saying how to give the path', async () => {
    const error = await failure(csvSource({ file_path: 'nowhere.csv' }, dir).read(ALL))
    expect(error.code).toBe('source.csv.not-found')
    expect(error.message).toContain(path.join(dir, 'nowhere.csv').split(path.sep).pop())
    expect(error.suggestions.join(' ')).toContain('--connector csv PATH')
  })

  it('resolves a relative file_path against the connector file directory', async () => {
    await writeFixture(dir, 'relative.csv', 'email\nann@corp.example\n')
    const { users } = await csvSource({ file_path: 'relative.csv' }, dir).read(ALL)
    expect(users).toHaveLength(1)
  })

  it('fails when no file was given at all', async () => {
    const error = await failure(csvSource({}, dir).read(ALL))
    expect(error.code).toBe('config.csv.no-file')
  })

  it('fails when the email column is missing, listing the columns found', async () => {
    const file = await writeFixture(dir, 'noemail.csv', 'mail,firstname\nann@corp.example,Ann\n')
    const error = await failure(readAll(file))
    expect(error.code).toBe('source.csv.no-email-column')
    expect(error.message).toMatch(
      /noemail\.csv:1: no "email" column in the header \(columns found: "mail", "firstname"\)/,
    )
    expect(error.suggestions.join(' ')).toContain('email_column_name')
  })

  it('fails on an empty file', async () => {
    const file = await writeFixture(dir, 'empty.csv', '')
    expect((await failure(readAll(file))).message).toContain('columns found: none (the file is empty)')
  })

  it('fails on a quote that is never closed, naming the line where it opens', async () => {
    const file = await writeFixture(
      dir,
      'unclosed.csv',
      'email,groups\nann@corp.example,Design\nbob@corp.example,"Web\ncy@corp.example,Ops\n',
    )
    const error = await failure(readAll(file))
    expect(error.code).toBe('source.csv.malformed')
    expect(error.message).toMatch(/unclosed\.csv:3: a quoted value starting on this line is never closed/)
  })

  it('fails on text after a closing quote', async () => {
    const file = await writeFixture(dir, 'badquote.csv', 'email,groups\nann@corp.example,"Design"x\n')
    const error = await failure(readAll(file))
    expect(error.message).toMatch(/badquote\.csv:2: malformed CSV/)
  })

  it('fails on a quote inside an unquoted value, saying how to quote it', async () => {
    const file = await writeFixture(
      dir,
      'nickname.csv',
      'email,firstname\nann@corp.example,Ann\nbob@corp.example,Bob "Bobby"\n',
    )
    const error = await failure(readAll(file))
    expect(error.message).toMatch(/nickname\.csv:3: malformed CSV/)
    expect(error.suggestions.join(' ')).toContain('inner quotes doubled')
  })

  it('accepts properly quoted values with doubled quotes and spaces around them', async () => {
    const file = await writeFixture(
      dir,
      'quoted.csv',
      'email,firstname,groups\nbob@corp.example, "Bob ""Bobby""" , "Web, Ops"\n',
    )
    expect((await readAll(file)).users[0]).toMatchObject({ firstname: 'Bob "Bobby"', groups: ['Web', ' Ops'] })
  })
})
