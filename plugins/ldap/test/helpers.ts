import type { DirectoryReadResult, DirectoryUser, PluginContext, SourceSelection } from '@ust-sync/api'
import { ADMIN_DN, ADMIN_PASSWORD, type Slapd, SUFFIX } from '@ust-sync/test-servers'
import { ldapSourceDefinition } from '../src/definition.js'

/** Messages a test logger collected. */
export interface Logged {
  warn: string[]
  debug: string[]
}

/** A plugin context that records warnings. */
export function contextFor(logged: Logged = { warn: [], debug: [] }, tlsVerify = true): PluginContext {
  return {
    logger: {
      debug: (m) => logged.debug.push(m),
      info: () => undefined,
      warn: (m) => logged.warn.push(m),
      error: (m) => logged.warn.push(m),
    },
    clock: { now: () => Date.now(), sleep: async () => undefined },
    configDir: '.',
    dataDir: '.',
    userAgent: 'ust-sync/test',
    tlsVerify,
  }
}

/** Connector settings for the test directory: admin bind, OpenLDAP-style all_users_filter. */
export function baseConfig(slapd: Slapd, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    host: slapd.url,
    base_dn: SUFFIX,
    username: ADMIN_DN,
    password: ADMIN_PASSWORD,
    all_users_filter: '(objectClass=inetOrgPerson)',
    ...extra,
  }
}

export const selection = (groups: string[], allUsers = false): SourceSelection => ({
  groups,
  allUsers,
  extendedAttributes: [],
})

/** Creates the source as the core does and reads. */
export async function read(
  config: Record<string, unknown>,
  sel: SourceSelection,
  logged?: Logged,
  tlsVerify = true,
): Promise<DirectoryReadResult> {
  return ldapSourceDefinition.create(config, contextFor(logged, tlsVerify)).read(sel)
}

/** The user with this email; fails when absent. */
export function userOf(users: DirectoryUser[], email: string): DirectoryUser {
  const user = users.find((u) => u.email.toLowerCase() === email.toLowerCase())
  if (!user)
    throw new Error(
      `${email} not read (${users.length} users: ${users
        .slice(0, 5)
        .map((u) => u.email)
        .join(', ')})`,
    )
  return user
}

export const emails = (users: DirectoryUser[]): string[] => users.map((u) => u.email).sort()

/** The error a promise rejects with; fails when it resolves. */
export async function failure(
  promise: Promise<unknown>,
): Promise<Error & { code: string; exitCode: number; suggestions: string[] }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!error) throw new Error('expected a failure')
  return error as Error & { code: string; exitCode: number; suggestions: string[] }
}
