import { execFileSync } from 'node:child_process'

/**
 * The Windows account files are restricted to: `DOMAIN\user` from the environment of the process (a
 * scheduled task's account included), or the bare user name on a machine outside a domain.
 */
export function windowsAccount(env: NodeJS.ProcessEnv): string | undefined {
  const user = env.USERNAME?.trim()
  if (!user) return undefined
  const domain = env.USERDOMAIN?.trim()
  return domain ? `${domain}\\${user}` : user
}

/**
 * `icacls` arguments that give a file the meaning of mode 0600 on Windows: inherited entries removed
 * (`/inheritance:r`: the folder's "Users: read" no longer applies) and full control granted to `account`
 * alone (`/grant:r` replaces what it had). Administrators and SYSTEM keep the access their privileges give.
 */
export function privateAclArgs(file: string, account: string): string[] {
  return [file, '/inheritance:r', '/grant:r', `${account}:(F)`]
}

/**
 * On Windows, restricts `file` to the account running ust (see {@link privateAclArgs}); elsewhere it does
 * nothing (the file's mode, 0600, already does). Throws when `icacls` fails: a file holding secrets or
 * personal data is not left readable by others.
 */
export function restrictToOwner(
  file: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  run: (command: string, args: string[]) => void = (command, args) => {
    execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true })
  },
): void {
  if (platform !== 'win32') return
  const account = windowsAccount(env)
  if (!account) throw new Error(`cannot restrict ${file} to its owner: USERNAME is not set`)
  run('icacls', privateAclArgs(file, account))
}
