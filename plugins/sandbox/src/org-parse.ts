import { TargetError, type IdentityType } from '@ust-sync/api'
import type { SandboxGroup, SandboxGroupType, SandboxOrg, SandboxUser } from './org-types.js'
import { domainOf, fold } from './user-lookup.js'

const IDENTITY_TYPES: IdentityType[] = ['adobeID', 'enterpriseID', 'federatedID']
const GROUP_TYPES: SandboxGroupType[] = ['userGroup', 'productProfile', 'adminGroup']
const USER_KEYS = ['identityType', 'email', 'username', 'domain', 'firstname', 'lastname', 'country', 'groups']

/**
 * Parses and checks the text of a sandbox org file (format: {@link SandboxOrg}). Fills `username` and
 * `domain` when omitted. Throws a `TargetError` naming the file and every problem found (invalid JSON with
 * its line and column, wrong or missing fields with their path, duplicate users or groups, a user in a
 * group the org does not have).
 */
export function parseOrg(text: string, file: string): SandboxOrg {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw invalid(file, [`invalid JSON: ${(error as Error).message}`], error)
  }
  const problems: string[] = []
  if (!isRecord(data)) throw invalid(file, ['the top level must be an object with "users" and "groups" arrays'])
  for (const key of Object.keys(data))
    if (key !== 'users' && key !== 'groups') problems.push(`${key}: unknown key (expected "users" and "groups")`)
  const groups = arrayAt(data, 'groups', problems).map((entry, index) =>
    parseGroup(entry, `groups[${index}]`, problems),
  )
  const users = arrayAt(data, 'users', problems).map((entry, index) => parseUser(entry, `users[${index}]`, problems))
  checkUnique(
    groups.map((group) => fold(group.name)),
    'groups',
    'group name',
    problems,
  )
  checkUnique(users.map(userKey), 'users', 'user', problems)
  const known = new Set(groups.map((group) => fold(group.name)))
  users.forEach((user, index) => {
    user.groups.forEach((name, at) => {
      if (!known.has(fold(name)))
        problems.push(`users[${index}].groups[${at}]: group "${name}" is not listed in "groups"`)
    })
  })
  if (problems.length) throw invalid(file, problems)
  return { users, groups }
}

function parseGroup(entry: unknown, at: string, problems: string[]): SandboxGroup {
  if (!isRecord(entry)) {
    problems.push(`${at}: expected an object with "name" and "type"`)
    return { name: '', type: 'userGroup' }
  }
  const name = text(entry, 'name', at, problems, true) ?? ''
  const type = entry.type as SandboxGroupType
  if (!GROUP_TYPES.includes(type))
    problems.push(`${at}.type: expected one of ${GROUP_TYPES.join(', ')}, got ${JSON.stringify(entry.type)}`)
  const description = text(entry, 'description', at, problems, false)
  return { name, type, ...(description === undefined ? {} : { description }) }
}

function parseUser(entry: unknown, at: string, problems: string[]): SandboxUser {
  if (!isRecord(entry)) {
    problems.push(`${at}: expected an object`)
    return { identityType: 'adobeID', email: '', username: '', domain: '', groups: [] }
  }
  for (const key of Object.keys(entry))
    if (!USER_KEYS.includes(key)) problems.push(`${at}.${key}: unknown key (expected ${USER_KEYS.join(', ')})`)
  const identityType = entry.identityType as IdentityType
  if (!IDENTITY_TYPES.includes(identityType)) {
    problems.push(
      `${at}.identityType: expected one of ${IDENTITY_TYPES.join(', ')}, got ${JSON.stringify(entry.identityType)}`,
    )
  }
  const email = text(entry, 'email', at, problems, true) ?? ''
  if (email && !email.includes('@')) problems.push(`${at}.email: "${email}" is not an email address`)
  const groups = entry.groups === undefined ? [] : entry.groups
  if (!Array.isArray(groups) || groups.some((name) => typeof name !== 'string'))
    problems.push(`${at}.groups: expected an array of group names`)
  const optional = (key: string) => text(entry, key, at, problems, false)
  const user: SandboxUser = {
    identityType,
    email,
    username: optional('username') ?? email,
    domain: optional('domain') ?? domainOf(email),
    groups: Array.isArray(groups) ? groups.filter((name): name is string => typeof name === 'string') : [],
  }
  for (const key of ['firstname', 'lastname', 'country'] as const) {
    const value = optional(key)
    if (value !== undefined) user[key] = value
  }
  return user
}

function userKey(user: SandboxUser): string {
  const kind = user.identityType === 'adobeID' ? 'adobeID' : 'enterprise/federated'
  const address = user.username.includes('@') ? fold(user.email) : `${fold(user.username)} (${fold(user.domain)})`
  return `${kind} ${address}`
}

function checkUnique(keys: string[], at: string, what: string, problems: string[]): void {
  const seen = new Map<string, number>()
  keys.forEach((key, index) => {
    const first = seen.get(key)
    if (first === undefined) seen.set(key, index)
    else problems.push(`${at}[${index}]: duplicate ${what} ${key} (same as ${at}[${first}])`)
  })
}

function arrayAt(data: Record<string, unknown>, key: string, problems: string[]): unknown[] {
  const value = data[key]
  if (Array.isArray(value)) return value
  problems.push(`${key}: expected an array${value === undefined ? ' (missing)' : ''}`)
  return []
}

function text(
  entry: Record<string, unknown>,
  key: string,
  at: string,
  problems: string[],
  required: boolean,
): string | undefined {
  const value = entry[key]
  if (value === undefined && !required) return undefined
  if (typeof value === 'string' && value !== '') return value
  problems.push(`${at}.${key}: expected a non-empty string${value === undefined ? ' (missing)' : ''}`)
  return undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalid(file: string, problems: string[], cause?: unknown): TargetError {
  return new TargetError(`Invalid sandbox org file ${file}:\n${problems.map((problem) => `  ${problem}`).join('\n')}`, {
    code: 'target.sandbox.invalid-org',
    cause,
    suggestions: [
      'Fix the file (its format is described in examples/quickstart/README.md), or start again from a copy of examples/quickstart/org.initial.json.',
    ],
  })
}
