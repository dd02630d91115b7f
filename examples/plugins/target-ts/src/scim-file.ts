import { randomBytes } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { TargetError } from '@ust-sync/api'

/** A user as the file stores it (SCIM-like names). */
export interface ScimUser {
  userName: string
  givenName?: string
  familyName?: string
  country?: string
  groups: string[]
}

/**
 * The file: `{"token": "…", "groups": ["Design Team"], "users": [ScimUser…]}`. The token stands in for a
 * SCIM service's bearer token: a request with another token is refused, as a server would (HTTP 401).
 */
export interface ScimFile {
  token: string
  groups: string[]
  users: ScimUser[]
}

/** Reads the file; a missing or malformed file, or a wrong token, is a TargetError (exit 7). */
export async function readScimFile(file: string, token: string): Promise<ScimFile> {
  let data: ScimFile
  try {
    data = JSON.parse(await readFile(file, 'utf8')) as ScimFile
  } catch (error) {
    throw new TargetError(`Cannot read the SCIM file ${file}: ${(error as Error).message}`, {
      suggestions: ['Check "file" in the scimfile connector file'],
    })
  }
  if (!Array.isArray(data.users) || !Array.isArray(data.groups))
    throw new TargetError(`${file} is not a SCIM file (expected "users" and "groups" lists)`)
  // Never put the token in a message: say which setting is wrong instead.
  if (data.token !== token)
    throw new TargetError(`The SCIM file ${file} refused the token (HTTP 401)`, {
      suggestions: ['Check the secret named by secure_token_key in the credential backend'],
    })
  return data
}

/** Writes the file atomically (temporary file + rename), so a crash never leaves half a file. */
export async function writeScimFile(file: string, data: ScimFile): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`)
  await writeFile(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 })
  await rename(temp, file)
}
