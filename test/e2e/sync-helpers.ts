import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './run-cli.js'

/** The quickstart example (read only: tests work on copies). */
export const QUICKSTART = join(ROOT, 'examples/quickstart')
/** Fixtures of the e2e tests (read only: tests work on copies). */
export const E2E_FIXTURES = join(ROOT, 'test/fixtures/e2e')

/** A user of the sandbox org file, as the tests read it. */
export interface OrgUser {
  identityType: string
  email: string
  firstname?: string
  lastname?: string
  country?: string
  groups: string[]
}

/** The sandbox org file, as the tests read it. */
export interface OrgFile {
  users: OrgUser[]
  groups: { name: string; type: string; description?: string }[]
}

/** Copies a directory into a fresh temp directory and returns the copy's path. */
export async function freshCopy(source: string, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  await cp(source, dir, { recursive: true })
  return dir
}

/** Reads and parses a sandbox org file of a quickstart copy (`org.json`, or e.g. `org.initial.json`). */
export async function readOrg(dir: string, name = 'org.json'): Promise<OrgFile> {
  return JSON.parse(await readFile(join(dir, name), 'utf8')) as OrgFile
}

/** Rewrites the sandbox org file of a quickstart copy after `change` edited it. */
export async function editOrg(dir: string, change: (org: OrgFile) => void): Promise<void> {
  const org = await readOrg(dir)
  change(org)
  await writeFile(join(dir, 'org.json'), `${JSON.stringify(org, null, 2)}\n`)
}

/** The org's user with this email; fails when absent. */
export function userOf(org: OrgFile, email: string): OrgUser {
  const user = org.users.find((u) => u.email.toLowerCase() === email.toLowerCase())
  if (!user) throw new Error(`${email} is not in the org (${org.users.length} users)`)
  return user
}

/** Emails of the org's users, sorted. */
export function emailsOf(org: OrgFile): string[] {
  return org.users.map((u) => u.email.toLowerCase()).sort()
}

/**
 * The action summary logged on stdout (`  Number of …: value` lines of UST's format), by description:
 * `summaryOf(stdout).get('Number of new Adobe users added') === '17'`.
 */
export function summaryOf(log: string): Map<string, string> {
  const lines = new Map<string, string>()
  for (const match of log.matchAll(/ - +(Number of [^:]+): (.*)$/gm)) lines.set(match[1] ?? '', (match[2] ?? '').trim())
  return lines
}

/**
 * Writes `connector-umapi.yml` in `dir` from the sync-umapi fixture's template, pointing at a fake UMAPI
 * (`url`, `orgId`, `clientId`), with `secretLine` as the secret setting (`client_secret: …` or
 * `secure_client_secret_key: …`).
 */
export async function writeUmapiConnector(
  dir: string,
  fake: { url: string; orgId: string; clientId: string },
  secretLine: string,
): Promise<void> {
  const template = await readFile(join(dir, 'connector-umapi.yml.template'), 'utf8')
  const connector = template
    .replaceAll('__URL__', fake.url)
    .replace('__ORG_ID__', JSON.stringify(fake.orgId))
    .replace('__CLIENT_ID__', fake.clientId)
    .replace('client_secret: __CLIENT_SECRET__', secretLine)
  await writeFile(join(dir, 'connector-umapi.yml'), connector)
}
