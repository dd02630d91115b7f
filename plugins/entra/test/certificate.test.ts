import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { type FakeGraph, startFakeGraph } from '@ust-sync/test-servers'
import { entraSourceDefinition } from '../src/definition.js'
import { recordingContext } from './helpers.js'

// The app's certificate credential: an RSA key and a self-signed certificate made with openssl.
const dir = mkdtempSync(join(tmpdir(), 'ust-entra-cert-'))
const PASS = 'k3y-Passphrase-9'
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
openssl(
  'req',
  '-x509',
  '-newkey',
  'rsa:2048',
  '-nodes',
  '-keyout',
  'app.key',
  '-out',
  'app.crt',
  '-days',
  '2',
  '-subj',
  '/CN=ust-entra-test',
)
openssl('pkey', '-in', 'app.key', '-aes256', '-passout', `pass:${PASS}`, '-out', 'app-encrypted.key')
openssl(
  'req',
  '-x509',
  '-newkey',
  'rsa:2048',
  '-nodes',
  '-keyout',
  'other.key',
  '-out',
  'other.crt',
  '-days',
  '2',
  '-subj',
  '/CN=other',
)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let graph: FakeGraph
const closed = new Set<FakeGraph>()
afterEach(async () => {
  if (!graph || closed.has(graph)) return
  closed.add(graph)
  await graph.close()
})

function config(g: FakeGraph, files: Record<string, string>) {
  return { tenant_id: g.tenantId, client_id: g.clientId, authority_host: g.url, graph_host: g.url, ...files }
}

describe('entra: certificate credential (client assertion, PS256 with x5t#S256)', () => {
  it('gets a token with a signed assertion, from a plain or a passphrase-protected key', async () => {
    graph = await startFakeGraph({ certificatePem: readFileSync(join(dir, 'app.crt'), 'utf8') })
    graph.tenant.addUser({ userPrincipalName: 'ann@example.com', mail: 'ann@example.com' })
    const { context, lines } = recordingContext()
    const all = { groups: [], allUsers: true, extendedAttributes: [] }
    const plain = entraSourceDefinition.create(
      config(graph, { certificate_file: join(dir, 'app.crt'), private_key_file: join(dir, 'app.key') }),
      context,
    )
    expect((await plain.read(all)).users.map((u) => u.email)).toEqual(['ann@example.com'])
    const encrypted = entraSourceDefinition.create(
      config(graph, {
        certificate_file: join(dir, 'app.crt'),
        private_key_file: join(dir, 'app-encrypted.key'),
        private_key_pass: PASS,
      }),
      context,
    )
    expect((await encrypted.read(all)).users).toHaveLength(1)
    const token = graph.requests.find((r) => r.endpoint === 'token')
    expect(token?.headers['content-type']).toContain('application/x-www-form-urlencoded')
    expect(lines.join('\n')).not.toContain(PASS)
  })

  it('a wrong passphrase is a CredentialError; a key of another certificate a ConfigError; a certificate Entra does not know exit 3', async () => {
    graph = await startFakeGraph({ certificatePem: readFileSync(join(dir, 'app.crt'), 'utf8') })
    const { context } = recordingContext()
    const all = { groups: [], allUsers: true, extendedAttributes: [] }
    const read = (files: Record<string, string>) =>
      entraSourceDefinition.create(config(graph, files), context).read(all)
    await expect(
      read({
        certificate_file: join(dir, 'app.crt'),
        private_key_file: join(dir, 'app-encrypted.key'),
        private_key_pass: 'wrong',
      }),
    ).rejects.toMatchObject({ code: 'credential.entra.private-key', exitCode: 3 })
    await expect(
      read({ certificate_file: join(dir, 'app.crt'), private_key_file: join(dir, 'other.key') }),
    ).rejects.toMatchObject({
      code: 'config.entra.certificate',
    })
    await expect(
      read({ certificate_file: join(dir, 'other.crt'), private_key_file: join(dir, 'other.key') }),
    ).rejects.toMatchObject({
      code: 'credential.entra.refused',
      message: expect.stringContaining('AADSTS700027'),
    })
  })

  it('asks for exactly one credential', () => {
    const { context } = recordingContext()
    const base = { tenant_id: 'contoso.onmicrosoft.com', client_id: 'c' }
    expect(() => entraSourceDefinition.create(base, context)).toThrow(/client_secret: is required/)
    expect(() =>
      entraSourceDefinition.create(
        { ...base, client_secret: 's', certificate_file: 'a', private_key_file: 'b' },
        context,
      ),
    ).toThrow(/either client_secret or certificate_file/)
    expect(() =>
      entraSourceDefinition.create({ ...base, client_secret: 's', graph_host: 'graph.microsoft.us/v1.0' }, context),
    ).toThrow(/graph_host/)
    const us = entraSourceDefinition.create(
      { ...base, client_secret: 's', authority_host: 'login.microsoftonline.us', graph_host: 'graph.microsoft.us' },
      context,
    )
    expect(us.endpoints?.().map((e) => e.url)).toEqual([
      'https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/token',
      'https://graph.microsoft.us/v1.0',
    ])
  })
})
