import { execFile } from 'node:child_process'
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type CredentialBackend, ExitCode } from '@ust-sync/api'
import { fileBackendDefinition } from '../src/definition.js'
import type { SealedFileJson } from '../src/sealed-file.js'
import { testContext, warnings } from './context.js'

const PASSPHRASE = 'correct horse battery staple'
const SECRET = 'Pl4nted-file-secret-9f3a'
let dataDir: string
let savedUmask: number
const saved = { ...process.env }

function backend(extra = {}): CredentialBackend {
  return fileBackendDefinition.create(testContext(dataDir, extra))
}
const file = () => join(dataDir, 'credentials.enc.json')

async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; exitCode: number; suggestions: string[] }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error, 'expected a failure').toBeInstanceOf(Error)
  return error as never
}

beforeAll(() => {
  savedUmask = process.umask(0o000)
})
afterAll(() => {
  process.umask(savedUmask)
})
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ust-file-backend-'))
  process.env.UST_CREDENTIALS_PASSPHRASE = PASSPHRASE
  delete process.env.UST_CREDENTIALS_KEY_FILE
  delete process.env.UST_CREDENTIALS_FILE
  warnings.length = 0
})
afterEach(async () => {
  process.env = { ...saved }
  await rm(dataDir, { recursive: true, force: true })
})

describe('file credential backend', () => {
  it('stores, reads, lists and deletes secrets; the file is 0600 under umask 000 and never holds a value in clear', async () => {
    const b = backend()
    expect(await b.get('ust-umapi', '1234@AdobeOrg')).toBeUndefined()
    await b.set('ust-umapi', '1234@AdobeOrg', SECRET)
    await b.set('ust-umapi', 'other@AdobeOrg', 'second-secret')
    await b.set('ust-ldap', 'cn=reader', 'third-secret')
    // a new process (a new backend) reads what the first wrote
    const again = backend()
    expect(await again.get('ust-umapi', '1234@AdobeOrg')).toBe(SECRET)
    expect(await again.list('ust-umapi')).toEqual(['1234@AdobeOrg', 'other@AdobeOrg'])
    expect(await again.delete('ust-umapi', 'other@AdobeOrg')).toBe(true)
    expect(await again.delete('ust-umapi', 'other@AdobeOrg')).toBe(false)
    expect(await backend().list('ust-umapi')).toEqual(['1234@AdobeOrg'])
    expect((await stat(file())).mode & 0o777).toBe(0o600)
    const text = await readFile(file(), 'utf8')
    for (const plain of [SECRET, 'third-secret', Buffer.from(SECRET).toString('base64')])
      expect(text).not.toContain(plain)
    expect(await b.describe()).toEqual({
      available: true,
      detail: expect.stringContaining('UST_CREDENTIALS_PASSPHRASE'),
    })
  })

  it('refuses a wrong passphrase without changing the file', async () => {
    await backend().set('s', 'a', SECRET)
    const before = await readFile(file(), 'utf8')
    process.env.UST_CREDENTIALS_PASSPHRASE = 'not the passphrase'
    for (const op of [() => backend().get('s', 'a'), () => backend().set('s', 'b', 'x'), () => backend().list('s')]) {
      const error = await failure(op())
      expect(error).toMatchObject({ name: 'CredentialError', exitCode: ExitCode.credential })
      expect(error.message).toBe(`Wrong passphrase for the credentials file ${file()}`)
    }
    expect(await readFile(file(), 'utf8')).toBe(before)
  })

  it.each([
    ['a changed ciphertext byte', (j: SealedFileJson) => (j.entries[0]!.data = flip(j.entries[0]!.data))],
    ['a removed entry', (j: SealedFileJson) => j.entries.pop()],
    [
      'two entries swapped',
      (j: SealedFileJson) => ([j.entries[0]!.data, j.entries[1]!.data] = [j.entries[1]!.data, j.entries[0]!.data]),
    ],
    ['a renamed account', (j: SealedFileJson) => (j.entries[0]!.account = 'intruder')],
    ['weakened key derivation', (j: SealedFileJson) => (j.kdf.N = 2)],
  ])('detects tampering: %s', async (_, tamper) => {
    const b = backend()
    await b.set('s', 'a', SECRET)
    await b.set('s', 'b', 'other-secret')
    const json = JSON.parse(await readFile(file(), 'utf8'))
    tamper(json)
    await writeFile(file(), JSON.stringify(json))
    const error = await failure(backend().get('s', 'a'))
    expect(error).toMatchObject({ name: 'CredentialError', exitCode: ExitCode.credential })
    expect(error.message).toMatch(/has been tampered with or damaged/)
    expect(error.message).not.toContain(SECRET)
  })

  it('says when the file is not JSON', async () => {
    await writeFile(file(), 'garbage')
    expect((await failure(backend().get('s', 'a'))).message).toMatch(/tampered with or damaged: it is not valid JSON/)
  })

  it('loses no change when two processes write at once (lock)', async () => {
    const script = fileURLToPath(new URL('./concurrent-writer.ts', import.meta.url))
    const run = (service: string) =>
      promisify(execFile)(
        process.execPath,
        [
          '--import',
          fileURLToPath(new URL('../../keyring/test/ts-resolve.mjs', import.meta.url)),
          script,
          dataDir,
          service,
          '6',
        ],
        {
          env: { ...process.env },
        },
      )
    await Promise.all([run('writer-one'), run('writer-two')])
    const b = backend()
    const accounts = ['account-0', 'account-1', 'account-2', 'account-3', 'account-4', 'account-5']
    expect(await b.list('writer-one')).toEqual(accounts)
    expect(await b.list('writer-two')).toEqual(accounts)
    expect(await b.get('writer-two', 'account-5')).toBe('writer-two-secret-5')
    expect((await stat(file())).mode & 0o777).toBe(0o600)
  }, 60_000)

  it('takes the passphrase from a 0600 key file, and refuses one others can read', async () => {
    delete process.env.UST_CREDENTIALS_PASSPHRASE
    const keyFile = join(dataDir, 'credentials.key')
    await writeFile(keyFile, 'key-file-passphrase\n', { mode: 0o600 })
    await chmod(keyFile, 0o600)
    await backend().set('s', 'a', SECRET)
    process.env.UST_CREDENTIALS_PASSPHRASE = 'key-file-passphrase'
    expect(await backend().get('s', 'a')).toBe(SECRET) // the same passphrase, without its newline
    delete process.env.UST_CREDENTIALS_PASSPHRASE
    await chmod(keyFile, 0o644)
    const error = await failure(backend().get('s', 'a'))
    expect(error.message).toBe(`The key file ${keyFile} can be read by other users (mode 0644); it was not used`)
    expect(error.suggestions).toEqual([`run \`chmod 600 ${keyFile}\``])
  })

  it('without any passphrase is unavailable and says what to set; nothing is written', async () => {
    delete process.env.UST_CREDENTIALS_PASSPHRASE
    const b = backend()
    const availability = await b.describe()
    expect(availability.available).toBe(false)
    expect(availability.detail).toMatch(/no passphrase is given$/)
    expect(availability.suggestions?.[0]).toMatch(/^set UST_CREDENTIALS_PASSPHRASE/)
    // no credentials file yet: a random key file is the way; for an existing file, its passphrase is
    expect(availability.suggestions?.[1]).toContain('openssl rand -base64 32')
    const error = await failure(b.set('s', 'a', SECRET))
    expect(error.message).toBe(`No passphrase for the credentials file ${file()}`)
    await expect(stat(file())).rejects.toThrow()
  })

  it('asks a new passphrase twice on a terminal and refuses two different ones', async () => {
    delete process.env.UST_CREDENTIALS_PASSPHRASE
    const answers = ['typed-passphrase', 'typed-passphrase-typo']
    const questions: string[] = []
    const b = backend({
      promptSecret: async (q: string) => {
        questions.push(q)
        return answers.shift()!
      },
    })
    expect((await failure(b.set('s', 'a', SECRET))).message).toBe('The two passphrases differ; nothing was changed')
    expect(questions).toEqual([`New passphrase for the credentials file ${file()}: `, 'Repeat the passphrase: '])
    const ok = backend({ promptSecret: async () => 'typed-passphrase' })
    await ok.set('s', 'a', SECRET)
    process.env.UST_CREDENTIALS_PASSPHRASE = 'typed-passphrase'
    expect(await backend().get('s', 'a')).toBe(SECRET)
  })

  it('warns when the file can be read by others', async () => {
    await backend().set('s', 'a', SECRET)
    await chmod(file(), 0o644)
    await backend().get('s', 'a')
    expect(warnings).toEqual([
      `The credentials file ${file()} can be read by other users (mode 0644): run \`chmod 600 ${file()}\``,
    ])
  })
})

function flip(base64: string): string {
  const bytes = Buffer.from(base64, 'base64')
  bytes[0] = bytes[0]! ^ 1
  return bytes.toString('base64')
}
