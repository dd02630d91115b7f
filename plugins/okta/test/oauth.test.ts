import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestCa, type FakeOkta, manualClock, type TestCa } from '@ust-sync/test-servers'
import { smallOrg, sourceFor, trustCa, untrustCa } from './helpers.js'

let ca: TestCa
let okta: FakeOkta | undefined
let dir: string
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const pem = (key: typeof rsa.privateKey) => key.export({ type: 'pkcs8', format: 'pem' }).toString()
const publicPem = (key: typeof rsa.publicKey) => key.export({ type: 'spki', format: 'pem' }).toString()

beforeAll(() => {
  ca = createTestCa()
  trustCa(ca)
  dir = mkdtempSync(join(tmpdir(), 'ust-okta-oauth-'))
})
afterEach(async () => {
  await okta?.close()
  okta = undefined
})
afterAll(() => {
  untrustCa()
  rmSync(ca.dir, { recursive: true, force: true })
  rmSync(dir, { recursive: true, force: true })
})

const mapped = { groups: ['Staff'], allUsers: false, extendedAttributes: [] }
const oauth = (privateKey: string, more: Record<string, unknown> = {}) => ({
  api_token: undefined,
  authentication_method: 'oauth',
  client_id: '0oaFakeServiceApp',
  private_key: privateKey,
  ...more,
})

describe('okta source: OAuth 2.0 service app (private_key_jwt)', () => {
  it('gets a token with a signed client assertion (RSA, PEM) and reads with Bearer', async () => {
    okta = await smallOrg(ca, { app: { clientId: '0oaFakeServiceApp', publicKeyPem: publicPem(rsa.publicKey) } })
    const { source, lines } = sourceFor(okta, oauth(pem(rsa.privateKey)))
    const { users } = await source.read(mapped)
    expect(users.map((u) => u.email)).toEqual(['ana@example.test', 'bo@example.test'])
    const [token, ...reads] = okta.requests
    expect(token).toMatchObject({ endpoint: 'token', status: 200 })
    expect(reads.every((r) => r.headers.authorization?.startsWith('Bearer fake-okta-access-'))).toBe(true)
    // One token serves the whole run.
    expect(okta.requests.filter((r) => r.endpoint === 'token')).toHaveLength(1)
    const issued = reads[0]?.headers.authorization?.slice('Bearer '.length) ?? ''
    expect(lines.join('\n')).not.toContain(issued)
  })

  it('an EC key from private_key_file, as a JWK with its kid', async () => {
    okta = await smallOrg(ca, { app: { clientId: '0oaFakeServiceApp', publicKeyPem: publicPem(ec.publicKey) } })
    const file = join(dir, 'okta-key.json')
    writeFileSync(file, JSON.stringify({ ...ec.privateKey.export({ format: 'jwk' }), kid: 'key-1' }))
    const { source } = sourceFor(okta, oauth('', { private_key: undefined, private_key_file: file }))
    expect((await source.read(mapped)).users).toHaveLength(2)
  })

  it('a key the app does not know is a CredentialError (exit 3) naming what to check', async () => {
    okta = await smallOrg(ca, { app: { clientId: '0oaFakeServiceApp', publicKeyPem: publicPem(ec.publicKey) } })
    const { source } = sourceFor(okta, oauth(pem(rsa.privateKey)))
    const error = await source.read(mapped).catch((e: unknown) => e)
    expect(error).toMatchObject({ exitCode: 3, code: 'credential.okta.oauth' })
    expect((error as Error).message).toMatch(/invalid_client: The client_assertion signature is invalid/)
  })

  it('an app without okta.groups.read is refused', async () => {
    okta = await smallOrg(ca, {
      app: { clientId: '0oaFakeServiceApp', publicKeyPem: publicPem(rsa.publicKey), scopes: ['okta.users.read'] },
    })
    const error = await sourceFor(okta, oauth(pem(rsa.privateKey)))
      .source.read(mapped)
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ exitCode: 3 })
    expect((error as Error).message).toMatch(/invalid_scope/)
  })

  it('net check reports the token step first', async () => {
    okta = await smallOrg(ca, { app: { clientId: '0oaFakeServiceApp', publicKeyPem: publicPem(rsa.publicKey) } })
    const results = await sourceFor(okta, oauth(pem(rsa.privateKey))).source.check()
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['Okta OAuth token', 'ok'],
      ['Okta users', 'ok'],
      ['Okta groups', 'ok'],
    ])
  })
})

describe('okta connector settings for OAuth', () => {
  it('a private key that is not one is a ConfigError when the source is created (ust config validate)', async () => {
    const { oktaSourceDefinition } = await import('../src/definition.js')
    const { recordingContext } = await import('./helpers.js')
    const create = (config: Record<string, unknown>) => () =>
      oktaSourceDefinition.create({ host: 'example.okta.com', ...config }, recordingContext().context)
    expect(create(oauth('not a key'))).toThrow(/not a PEM or JWK private key/)
    expect(create({ authentication_method: 'oauth', private_key: pem(rsa.privateKey) })).toThrow(/needs client_id/)
    expect(create({ authentication_method: 'oauth', client_id: 'x' })).toThrow(/needs the app's private key/)
    expect(create({})).toThrow(/no api_token \(or secure_api_token_key\)/)
    expect(create({ host: 'http://example.okta.com', api_token: 't' })).toThrow(/https only/)
    expect(create({ api_token: 't', all_users_filter: 'os.system("x")' })).toThrow(/"os" is not supported/)
  })
})

describe('okta source: an app that requires DPoP', () => {
  it('switches to DPoP on invalid_dpop_proof, carries the nonce, and sends a fresh proof with every request', async () => {
    const clock = manualClock(Date.now())
    okta = await smallOrg(ca, {
      app: { clientId: '0oaFakeServiceApp', publicKeyPem: publicPem(rsa.publicKey), dpop: true },
      now: clock.now,
    })
    for (let n = 0; n < 250; n++)
      okta.directory.addUser({ profile: { email: `d${n}@example.test` }, groups: ['Staff'] })
    // A retried page needs a new proof (one use each): the second page fails once.
    okta.faults.status(503, { endpoint: 'members', skip: 1 })
    const { source } = sourceFor(okta, oauth(pem(rsa.privateKey)), clock)
    const { users } = await source.read(mapped)
    expect(users).toHaveLength(252)
    expect(okta.requests.filter((r) => r.endpoint === 'token').map((r) => r.status)).toEqual([400, 400, 200])
    const reads = okta.requests.filter((r) => r.endpoint !== 'token')
    expect(reads.map((r) => r.status)).toEqual([200, 200, 503, 200])
    for (const r of reads) expect(r.headers.authorization).toMatch(/^DPoP fake-okta-access-/)
    const proofs = reads.map((r) => r.headers.dpop)
    expect(new Set(proofs).size).toBe(proofs.length)
  })

  it('net check gets a DPoP-bound token too', async () => {
    okta = await smallOrg(ca, {
      app: { clientId: '0oaFakeServiceApp', publicKeyPem: publicPem(rsa.publicKey), dpop: true },
    })
    const results = await sourceFor(okta, oauth(pem(rsa.privateKey))).source.check()
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok'])
  })
})
