import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isUstError, type PluginContext } from '@ust-sync/api'
import { csvSourceDefinition } from '../src/definition.js'
import { isEmailAddress } from '@ust-sync/api'
import { contextFor, readAll, scratchDir, writeFixture } from './helpers.js'

let dir: string
let remove: () => Promise<void>
beforeAll(async () => ({ dir, remove } = await scratchDir()))
afterAll(async () => remove())

async function failure(promise: Promise<unknown>): Promise<Error & { code: string; exitCode: number }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(isUstError(error), String(error)).toBe(true)
  return error as Error & { code: string; exitCode: number }
}

describe('CSV input hygiene', () => {
  it('refuses a NUL byte or another control character in a value, naming file:line and column', async () => {
    const file = await writeFixture(
      dir,
      'nul.csv',
      'email,firstname\nann@corp.example,Ann\nbob@corp.example,Bo\u0000b\n',
    )
    const error = await failure(readAll(file))
    expect(error).toMatchObject({ code: 'source.csv.control-character', exitCode: 6 })
    expect(error.message).toMatch(/nul\.csv:3: column "firstname" contains a control character \(U\+0000\)/)
    const bell = await writeFixture(dir, 'bell.csv', 'email,groups\nann@corp.example,"Design\u0007"\n')
    expect((await failure(readAll(bell))).message).toMatch(/bell\.csv:2: column "groups" .*U\+0007/)
  })

  it('validates emails as addresses, not just "contains @"', async () => {
    const file = await writeFixture(
      dir,
      'emails.csv',
      'email\nann@corp.example\n@corp.example\nbob@\nc y@corp.example\nd@@corp.example\ne@corp\nf@-corp.example\n',
    )
    const { users, warnings } = await readAll(file)
    expect(users.map((u) => u.email)).toEqual(['ann@corp.example'])
    const bad = ['@corp.example', 'bob@', 'c y@corp.example', 'd@@corp.example', 'e@corp', 'f@-corp.example']
    expect(warnings).toEqual(bad.map((email, i) => `${file}:${i + 3}: invalid email "${email}"; row skipped`))
    expect(['ann.lee+x@corp.example', "o'neil@sub.corp.example", 'jörg@bücher.example'].map(isEmailAddress)).toEqual([
      true,
      true,
      true,
    ])
  })

  it('a file without the groups column is a source error when groups are needed (no silent removal)', async () => {
    const file = await writeFixture(dir, 'nogroups.csv', 'email,firstname\nann@corp.example,Ann\n')
    const source = csvSourceDefinition.create({ file_path: file }, contextFor(dir))
    const error = await failure(source.read({ groups: ['Design'], allUsers: true, extendedAttributes: [] }))
    expect(error).toMatchObject({ code: 'source.csv.no-groups-column', exitCode: 6 })
    expect(error.message).toMatch(/nogroups\.csv:1: no "groups" column/)
    // without groups to read, the column is not needed
    expect((await readAll(file)).users).toHaveLength(1)
  })

  it('a column named in connector-csv.yml but missing from the file is a source error', async () => {
    const file = await writeFixture(dir, 'nologin.csv', 'email,groups\nann@corp.example,Design\n')
    const error = await failure(readAll(file, { username_column_name: 'login' }))
    expect(error).toMatchObject({ code: 'source.csv.missing-column', exitCode: 6 })
    expect(error.message).toMatch(/nologin\.csv:1: no "login" column \(username_column_name in connector-csv\.yml\)/)
  })

  it('warns about unrecognised columns, as UST does', async () => {
    const file = await writeFixture(dir, 'extra.csv', 'email,firstname,dept,groups\nann@corp.example,Ann,R&D,\n')
    const lines: string[] = []
    const context: PluginContext = {
      ...contextFor(dir),
      logger: { debug() {}, info() {}, warn: (m: string) => lines.push(m), error() {} },
    }
    await csvSourceDefinition.create({ file_path: file }, context).read({
      groups: [],
      allUsers: true,
      extendedAttributes: [],
    })
    expect(lines).toEqual([`In '${file}' unrecognized column names: 'dept'`])
  })

  it('a FIFO given as the data file is refused, not waited on', async () => {
    const fifo = path.join(dir, 'users.fifo.csv')
    execFileSync('mkfifo', [fifo])
    const error = await failure(readAll(fifo))
    expect(error).toMatchObject({ code: 'source.csv.not-a-file', exitCode: 6 })
  }, 10_000)

  it('an error about a malformed file never quotes its content', async () => {
    const file = await writeFixture(dir, 'leak.csv', 'email,firstname\nann@corp.example,Top"Secret-Value\n')
    const error = await failure(readAll(file))
    expect(error.message).toMatch(/leak\.csv:2: malformed CSV/)
    expect(error.message).not.toContain('Secret-Value')
  })
})

describe('rows and files that are not what the header says', () => {
  it('a row with fewer or more fields than the header stops the read (exit 6), naming each file:line', async () => {
    const file = await writeFixture(
      dir,
      'short.csv',
      'firstname,lastname,email,country,groups\nAnn,Lee,ann.lee@example.com\nBo,Ek,bo@example.com,SE,"A,B"\nCy,Ho,cy@example.com,US,G,extra\n',
    )
    const error = await failure(readAll(file))
    expect(error).toMatchObject({ code: 'source.csv.field-count', exitCode: 6 })
    expect(error.message.replaceAll(`${dir}/`, '')).toBe(
      [
        '2 rows of short.csv have more or fewer fields than the header; nothing was changed:',
        '  short.csv:2: 3 fields, the header has 5',
        '  short.csv:4: 6 fields, the header has 5',
      ].join('\n'),
    )
  })

  it('an error about the header describes a first line that is not a header instead of quoting it', async () => {
    const file = await writeFixture(
      dir,
      'shadow.csv',
      'root:$y$j9T$Zx0cQ2vN8YtH5w$secretsecretsecret:19000:0:99999:7:::\n',
    )
    const error = await failure(readAll(file))
    expect(error.code).toBe('source.csv.no-email-column')
    expect(error.message.replaceAll(`${dir}/`, '')).toBe(
      'shadow.csv:1: no "email" column in the header (columns found: (a value of 64 characters that does not look like a column name))',
    )
    expect(JSON.stringify(error)).not.toContain('secret')
  })

  it('a kernel pseudo-file (/proc/self/environ) is refused without being read', async () => {
    const error = await failure(readAll('/proc/self/environ'))
    expect(error.code).toBe('source.csv.not-a-file')
    expect(error.message).toBe('CSV path is a kernel pseudo-file (/proc, /sys), not a data file: /proc/self/environ')
  })
})
