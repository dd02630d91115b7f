import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  type DirectoryReadResult,
  defineCredentialBackend,
  defineIdentitySource,
  defineMappingHook,
  type SourceSelection,
  SourceError,
} from '@ust-sync/api'
import { checkCredentialBackend, checkIdentitySource, checkMappingHook, checkPluginPackage } from '../src/index.js'

const closed = { type: 'object', additionalProperties: false, properties: { token: { type: 'string' } } }
const people = [{ email: 'ann@example.com', groups: ['Design'] }]

/** What a source that keeps the contract makes of everyone it has, for a selection. */
const selected = (result: DirectoryReadResult, selection: SourceSelection): DirectoryReadResult => {
  const wanted = selection.groups.map((g) => g.toLowerCase())
  const users = result.users.filter((u) => selection.allUsers || u.groups.some((g) => wanted.includes(g.toLowerCase())))
  return { ...result, users }
}

const source = (
  read: (config: Record<string, unknown>, log: (m: string) => void, selection: SourceSelection) => unknown,
  schema: Record<string, unknown> = closed,
) =>
  defineIdentitySource({
    id: 'fake',
    description: 'fake',
    connector: { schema, secrets: [{ key: 'token', account: 'token', required: false }] },
    create: (config, context) => ({
      read: async (selection) => {
        const result = (await read(config, context.logger.info, selection)) as DirectoryReadResult
        return selection.allUsers || !result?.users ? result : selected(result, selection)
      },
    }),
  })

describe('checkIdentitySource finds broken sources', () => {
  it('passes a source that keeps the contract', async () => {
    const good = source((config) => {
      if (config.broken) throw new SourceError('cannot read')
      return { users: people, warnings: [] }
    })
    const report = await checkIdentitySource(good, { config: { token: 'tok-123456' }, failingConfig: { broken: true } })
    expect(report.skipped).toEqual([])
    expect(report.passed).toEqual([
      'definition has kind, id, description and create()',
      'connector schema rejects unknown keys',
      'create() returns a source without throwing',
      'read() resolves',
      'read() returns users and warnings as the contract describes',
      'a second read() returns the same users',
      'selection.groups: read() returns every member of the group asked ("Design")',
      'selection.groups: a group the directory does not have gives no users (a warning at most), not an error',
      'selection.extendedAttributes: an attribute the directory does not have is no error and changes no user',
      'a read that cannot complete throws (never returns partial results)',
      'the failure is a ust error (SourceError, NetworkError, CredentialError or ConfigError from @ust-sync/api)',
      'secrets never appear in logs or error messages',
    ])
  })

  it('runs every selection mode and each named failure, saying what the source did', async () => {
    const everyone = [
      { email: 'ann@example.com', groups: ['Design'], attributes: { dept: 'D1' } },
      { email: 'bob@example.com', groups: ['design', 'Sales'] },
    ]
    // Two pages; `failAt: 2` breaks the second one, and the broken source returns the first page anyway.
    const paged = (keepsContract: boolean) =>
      defineIdentitySource({
        id: 'paged',
        description: 'paged',
        connector: { schema: closed },
        create: (config) => ({
          read: async (selection) => {
            const pages = [[everyone[0]!], [everyone[1]!]]
            const users = []
            for (const [i, page] of pages.entries()) {
              if (config.failAt === i + 1) {
                if (keepsContract) throw new SourceError(`page ${i + 1} failed`)
                break
              }
              users.push(...page)
            }
            // The broken source also drops case-insensitive group matches and extended attributes.
            const result = { users, warnings: [] }
            if (keepsContract) return selection.allUsers ? result : selected(result, selection)
            return {
              users: selection.allUsers
                ? users.map(({ email, groups }) => ({ email, groups }))
                : users.filter((u) => u.groups.some((g) => selection.groups.includes(g))),
              warnings: [],
            }
          },
        }),
      })
    const options = { config: {}, failures: { 'page 2 fails': { failAt: 2 } }, extendedAttributes: ['dept'] }
    const report = await checkIdentitySource(paged(true), options)
    expect(report.passed).toContain(
      'selection.extendedAttributes: every attribute asked is in users[].attributes, under the name asked',
    )
    expect(report.passed).toContain('a read that cannot complete throws (never returns partial results) (page 2 fails)')
    await expect(checkIdentitySource(paged(false), options)).rejects.toMatchObject({
      problems: [
        'selection.groups: read() returns every member of the group asked ("Design"): it left out bob@example.com, whom reading every user lists in "Design"; the contract wants every member (a user left out is a user ust removes)',
        'selection.extendedAttributes: every attribute asked is in users[].attributes, under the name asked: no user has attributes["dept"]; the contract wants each name asked under attributes',
        'a read that cannot complete throws (never returns partial results) (page 2 fails): read() resolved with 1 users; the contract wants it to reject',
      ],
    })
  })

  it('reports partial results, a plain Error, an open schema and a logged secret', async () => {
    const partial = source(
      (config, log) => {
        log(`using token ${config.token}`)
        return config.broken ? { users: [], warnings: [] } : { users: people, warnings: [] }
      },
      { type: 'object', properties: {} },
    )
    await expect(
      checkIdentitySource(partial, { config: { token: 'tok-123456' }, failingConfig: { broken: true } }),
    ).rejects.toThrow(
      /accepts unknown keys[\s\S]*resolved with 0 users; the contract wants it to reject[\s\S]*a secret \(10 characters\)/,
    )
    const plain = source((config) => {
      if (config.broken) throw new Error('nope')
      return { users: people, warnings: [] }
    })
    await expect(checkIdentitySource(plain, { config: {}, failingConfig: { broken: true } })).rejects.toThrow(
      /got a plain Error: nope/,
    )
    const malformed = source(() => ({ users: [{ email: 'a@b.c' }], warnings: [] }))
    await expect(checkIdentitySource(malformed, { config: {} })).rejects.toThrow(/users\[0\]\.groups/)
  })
})

describe('checkCredentialBackend finds broken backends', () => {
  it('reports null for an absent secret and a list that exposes secrets', async () => {
    const store = new Map<string, string>()
    const backend = defineCredentialBackend({
      id: 'leaky',
      description: 'leaky',
      create: () => ({
        describe: async () => ({ available: true, detail: 'memory' }),
        get: async (s, a) => (store.get(`${s}/${a}`) ?? null) as never,
        set: async (s, a, v) => void store.set(`${s}/${a}`, v),
        delete: async (s, a) => store.delete(`${s}/${a}`),
        list: async () => [...store.values()],
      }),
    })
    await expect(checkCredentialBackend(backend)).rejects.toThrow(
      /get\(\) of an absent secret is undefined: got object[\s\S]*list\(\) names the account, not the secret/,
    )
  })
})

describe('checkMappingHook finds broken hooks', () => {
  const users = [{ sourceAttributes: { dept: 'Sales' }, targetAttributes: { country: 'us' } }, {}]

  it('passes a hook that keeps the contract and returns what it left for each user', async () => {
    const hook = defineMappingHook({
      id: 'dept',
      description: 'dept',
      create: () => ({
        extendedAdobeGroups: ['Sales Users'],
        afterMapping({ sourceAttributes, targetAttributes, targetGroups, storage }) {
          storage.count = Number(storage.count ?? 0) + 1
          if (sourceAttributes.dept === 'Sales') targetGroups.add('Sales Users')
          targetAttributes.country = `${String(targetAttributes.country ?? 'x').toUpperCase()}${String(storage.count)}`
        },
      }),
    })
    const report = await checkMappingHook(hook, { users })
    expect(report.outcomes).toEqual([
      { targetAttributes: { country: 'US1' }, targetGroups: ['Sales Users'] },
      { targetAttributes: { country: 'X2' }, targetGroups: [] },
    ])
  })

  it('reports a throw, an async hook, an undeclared group and a logged secret', async () => {
    const hook = defineMappingHook({
      id: 'bad',
      description: 'bad',
      create: (settings, context) => ({
        afterMapping: ((user: { sourceAttributes: Record<string, unknown>; targetGroups: Set<string> }) => {
          context.logger.info(`token ${String(settings.token)}`)
          if (user.sourceAttributes.dept === 'Sales') throw new Error('no dept table')
          user.targetGroups.add('Everyone')
          return Promise.resolve()
        }) as never,
      }),
    })
    await expect(
      checkMappingHook(hook, { users, settings: { token: 'hunter22' }, secrets: ['hunter22'] }),
    ).rejects.toThrow(
      [
        'mapping hook "bad" breaks the ust plugin contract:',
        '  - afterMapping() of users[0] does not throw: no dept table',
        '  - afterMapping() of users[1] is synchronous: it returned a Promise, which ust does not await',
        '  - groups it adds are declared (extendedAdobeGroups or knownGroups): "Everyone" is not declared: ust would ignore it ("Target adobe group Everyone is not known; ignored")',
        '  - secrets never appear in error messages or logs: a secret (8 characters) appears in: info: token ***…',
        '  - secrets never appear in error messages or logs: a secret (8 characters) appears in: info: token ***…',
      ].join('\n'),
    )
  })
})

describe('checkPluginPackage', () => {
  const dir = mkdtemp(path.join(tmpdir(), 'ust-testkit-'))
  afterAll(async () => rm(await dir, { recursive: true, force: true }))

  it('reports a wrong provides, a missing api dependency and an extra oclif hook', async () => {
    const root = await dir
    await writeFile(
      path.join(root, 'package.json'),
      JSON.stringify({
        name: 'x',
        ust: { apiVersion: 1, provides: { targets: ['declared'] } },
        oclif: { hooks: { 'ust:register': './register.js', init: './init.js' } },
        dependencies: { 'ust-sync': '*' },
      }),
    )
    await expect(
      checkPluginPackage(root, { register: ({ registry }) => registry.register(source(() => ({}))) }),
    ).rejects.toThrow(
      /declares "init"[\s\S]*add "@ust-sync\/api"[\s\S]*"ust-sync" must not be a dependency[\s\S]*declared but not registered: targets:declared[\s\S]*registered but not declared: identitySources:fake/,
    )
  })
})
