/**
 * The sync benchmarks' inputs and their expected outcome (bench:sync, bench:vs-ust): a directory of `n`
 * people spread over `groups` directory groups, each mapped to one user group and one product profile,
 * and a fake UMAPI org holding the same people with the performance round's mix — by person i mod 20:
 * 17 unchanged, 2 with an outdated first name (to update), 1 missing (to create) — plus 5% of n Adobe-only
 * users (to remove). After `sync --process-groups --update-user-info --adobe-only-user-action remove` the
 * org must hold exactly the directory: {@link checkState}.
 */
import type { FakeUmapi } from '@ust-sync/test-servers'

/** The shape of one benchmark: how many people, in how many groups, and what the directory calls group d. */
export interface Mix {
  n: number
  groups: number
  /** Directory group name of group `d` (mapped to {@link team} and {@link profile}). */
  directoryGroup: (d: number) => string
}

/** Person `i` of the directory, as the directory has them (the org may hold an outdated first name). */
export const person = (i: number) => ({
  email: `u${i}@example.com`,
  firstname: `F${i}`,
  lastname: `L${i}`,
  country: 'US',
})

/** What person `i` is in the mix: by i mod 20, 17 unchanged, 2 renamed, 1 new. */
export const kindOf = (i: number): 'same' | 'rename' | 'create' => {
  const r = i % 20
  return r < 17 ? 'same' : r < 19 ? 'rename' : 'create'
}
export const adobeOnlyCount = (n: number): number => Math.round(n * 0.05)
export const team = (d: number): string => `Team ${d}`
export const profile = (d: number): string => `Product ${d} - Default`

/** Generous request limits, given to the fake (and to ust's pacing): nothing ever waits for a window. */
export const GENEROUS_LIMIT = 1_000_000
export const GENEROUS_LIMITS = {
  action: GENEROUS_LIMIT,
  users: GENEROUS_LIMIT,
  usersInGroup: GENEROUS_LIMIT,
  user: GENEROUS_LIMIT,
  groups: GENEROUS_LIMIT,
}

/** The directory as UST's CSV connector reads it (`firstname,lastname,email,country,groups`). */
export function usersCsv(mix: Mix): string {
  const lines = ['firstname,lastname,email,country,groups']
  for (let i = 0; i < mix.n; i++) {
    const p = person(i)
    lines.push(`${p.firstname},${p.lastname},${p.email},${p.country},${mix.directoryGroup(i % mix.groups)}`)
  }
  return `${lines.join('\n')}\n`
}

/**
 * UST's main config file (`user-sync-config.yml`): federated IDs, the group mapping, first and last name
 * updated, the Adobe-only limit just above the mix's count, `connectors` naming the directory connector
 * files. `invocationDefaults` (YAML lines under `invocation_defaults:`) is optional.
 */
export function mainConfig(
  mix: Mix,
  files: { umapi: string; directory: Record<string, string> },
  invocationDefaults?: Record<string, string>,
): string {
  const groups = Array.from(
    { length: mix.groups },
    (_, d) =>
      `    - directory_group: ${mix.directoryGroup(d)}\n      adobe_groups:\n        - ${team(d)}\n        - ${profile(d)}\n`,
  ).join('')
  const connectors = Object.entries(files.directory)
    .map(([id, file]) => `    ${id}: ${file}\n`)
    .join('')
  const defaults = invocationDefaults
    ? `invocation_defaults:\n${Object.entries(invocationDefaults)
        .map(([k, v]) => `  ${k}: ${v}\n`)
        .join('')}`
    : ''
  return `adobe_users:
  connectors:
    umapi: ${files.umapi}
  update_attributes: [firstname, lastname]
directory_users:
  user_identity_type: federatedID
  default_country_code: US
  connectors:
${connectors}  groups:
${groups}limits:
  max_adobe_only_users: ${adobeOnlyCount(mix.n) + 1}
${defaults}`
}

/**
 * UST's UMAPI connector file for the fake: OAuth server-to-server, `server.host`/`auth_host` as UST writes
 * them (host:port, https implied). `rateLimit` adds ust's `server.rate_limits` extension (every endpoint
 * kind, per minute), which UST 2.10 rejects as an unknown key.
 */
export function umapiConnector(fake: FakeUmapi, options: { rateLimit?: number; timeoutSeconds?: number } = {}): string {
  const host = new URL(fake.url).host
  const limits =
    options.rateLimit === undefined
      ? ''
      : `  rate_limits: { action: ${options.rateLimit}, users: ${options.rateLimit}, users_in_group: ${options.rateLimit}, groups: ${options.rateLimit} }\n  rate_window_seconds: 60\n`
  const timeout = options.timeoutSeconds === undefined ? '' : `  timeout: ${options.timeoutSeconds}\n`
  return `authentication_method: oauth
server:
  host: ${host}
  auth_host: ${host}
${timeout}${limits}enterprise:
  org_id: ${JSON.stringify(fake.orgId)}
  client_id: ${fake.clientId}
  client_secret: ${fake.clientSecret}
`
}

/** Loads the org side of the mix into a fresh fake: groups and profiles, then users and Adobe-only users. */
export function seedOrg(fake: FakeUmapi, mix: Mix): void {
  for (let d = 0; d < mix.groups; d++) {
    fake.org.addUserGroup(team(d))
    fake.org.addProductProfile(profile(d), { productName: `Product ${d}` })
  }
  for (let i = 0; i < mix.n; i++) {
    const kind = kindOf(i)
    if (kind === 'create') continue
    const p = person(i)
    fake.org.addUser({
      ...p,
      firstname: kind === 'rename' ? `Old${i}` : p.firstname,
      groups: [team(i % mix.groups), profile(i % mix.groups)],
    })
  }
  for (let j = 0; j < adobeOnlyCount(mix.n); j++) {
    fake.org.addUser({
      email: `gone${j}@example.com`,
      firstname: 'Gone',
      lastname: `G${j}`,
      country: 'US',
      groups: [team(j % mix.groups)],
    })
  }
}

/** Differences between the org and the exact expected state (each problem, one line). */
export function checkState(fake: FakeUmapi, mix: Mix): string[] {
  const { n } = mix
  const problems: string[] = []
  const users = fake.org.users()
  if (users.length !== n) problems.push(`${users.length} users in the org, expected ${n}`)
  const seen = new Set<number>()
  for (const user of users) {
    const match = /^u(\d+)@example\.com$/.exec(user.email)
    const i = match ? Number(match[1]) : -1
    if (i < 0 || i >= n) {
      problems.push(`unexpected user ${user.email}`)
      continue
    }
    seen.add(i)
    const p = person(i)
    const groups = fake.org.groupsOf(user, { directOnly: true }).sort().join('|')
    const expected = [profile(i % mix.groups), team(i % mix.groups)].sort().join('|')
    if (
      user.status !== 'active' ||
      user.type !== 'federatedID' ||
      user.firstname !== p.firstname ||
      user.lastname !== p.lastname ||
      user.country !== p.country ||
      groups !== expected
    )
      problems.push(`${user.email}: ${JSON.stringify({ ...user, groups })}`)
  }
  if (seen.size !== n) problems.push(`${n - seen.size} directory users missing`)
  return problems
}
