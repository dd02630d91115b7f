// The `scimfilejs` target: a SCIM-style directory kept in a JSON file
// ({"token": "…", "groups": [names], "users": [{userName, givenName, familyName, country, groups}]}).
// Plain ESM JavaScript: no build step. Connector file: `file`, `account`, `secure_token_key`.
import { randomBytes } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { defineRegisterHook, defineTarget, TargetError } from '@ust-sync/api'

const same = (a, b) => a.toLowerCase() === b.toLowerCase()

/** Reads the file; a missing file or a wrong token is a TargetError (exit 7) that never shows the token. */
async function readScimFile(file, token) {
  let data
  try {
    data = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    throw new TargetError(`Cannot read the SCIM file ${file}: ${error.message}`, {
      suggestions: ['Check "file" in the scimfilejs connector file'],
    })
  }
  if (!Array.isArray(data.users) || !Array.isArray(data.groups))
    throw new TargetError(`${file} is not a SCIM file (expected "users" and "groups" lists)`)
  if (data.token !== token)
    throw new TargetError(`The SCIM file ${file} refused the token (HTTP 401)`, {
      suggestions: ['Check the secret named by secure_token_key in the credential backend'],
    })
  return data
}

async function writeScimFile(file, data) {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`)
  await writeFile(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 })
  await rename(temp, file)
}

/** One command on the data; returns an error object when it cannot be done (it then fails alone). */
function applyOne(data, command) {
  if (command.kind === 'createGroup') {
    if (!data.groups.some((g) => same(g, command.name))) data.groups.push(command.name)
    return undefined
  }
  const email = command.user.email
  let user = data.users.find((u) => same(u.userName, email))
  if (!user) {
    // Removing a user who is not there is done already (idempotent: ust may re-run a plan after a crash).
    if (!command.create && command.removeFromOrg) return undefined
    if (!command.create) return { code: 'user.not-found', message: `no user ${email}` }
    user = { userName: email, groups: [] }
    if (command.create.firstname) user.givenName = command.create.firstname
    if (command.create.lastname) user.familyName = command.create.lastname
    if (command.create.country) user.country = command.create.country
    data.users.push(user)
  } else if (command.create?.onConflict === 'update') {
    if (command.create.firstname) user.givenName = command.create.firstname
    if (command.create.lastname) user.familyName = command.create.lastname
  }
  if (command.update) {
    if (command.update.email) user.userName = command.update.email
    if (command.update.firstname !== undefined) user.givenName = command.update.firstname
    if (command.update.lastname !== undefined) user.familyName = command.update.lastname
  }
  const remove = command.removeGroups
  if (remove === 'all') user.groups = []
  else if (remove) user.groups = user.groups.filter((g) => !remove.some((r) => same(r, g)))
  // Group names in commands are lower-cased by ust: match the file's spelling ignoring case.
  for (const wanted of command.addGroups ?? []) {
    const group = data.groups.find((g) => same(g, wanted))
    if (!group) return { code: 'group.not-found', message: `no group "${wanted}"` }
    if (!user.groups.some((g) => same(g, group))) user.groups.push(group)
  }
  if (command.removeFromOrg) data.users = data.users.filter((u) => u !== user)
  return undefined
}

export const scimFileTarget = defineTarget({
  id: 'scimfilejs',
  description: 'Example: a SCIM-style directory kept in a JSON file (JavaScript)',
  connector: {
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['file', 'account', 'token'],
      properties: {
        file: { type: 'string', minLength: 1, 'x-ust-path': true },
        account: { type: 'string', minLength: 1 },
        token: { type: 'string', minLength: 1 },
      },
    },
    secrets: [{ key: 'token', account: 'account', required: true }],
  },
  create(config, context) {
    const file = path.resolve(context.configDir, String(config.file))
    const token = String(config.token)
    return {
      capabilities: { testMode: true, createGroups: true },
      endpoints: () => [],
      async snapshot(scope) {
        const data = await readScimFile(file, token)
        const wanted = scope.groups?.map((g) => g.toLowerCase())
        const users = data.users
          .filter((u) => !wanted || u.groups.some((g) => wanted.includes(g.toLowerCase())))
          .map((u) => ({
            identityType: 'federatedID',
            email: u.userName,
            username: u.userName,
            domain: u.userName.slice(u.userName.indexOf('@') + 1),
            ...(u.givenName ? { firstname: u.givenName } : {}),
            ...(u.familyName ? { lastname: u.familyName } : {}),
            ...(u.country ? { country: u.country } : {}),
            groups: [...u.groups],
          }))
        return scope.includeGroups ? { users, groups: data.groups.map((name) => ({ name, type: 'userGroup' })) } : { users }
      },
      async apply(commands, { testOnly }) {
        const data = await readScimFile(file, token)
        const results = commands.map((command) => {
          const error = applyOne(data, command)
          return error ? { commandId: command.id, status: 'failed', errors: [error] } : { commandId: command.id, status: 'done' }
        })
        if (!testOnly) await writeScimFile(file, data)
        return results
      },
    }
  },
})

export default defineRegisterHook(({ registry }) => registry.register(scimFileTarget))
