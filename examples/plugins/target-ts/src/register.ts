import path from 'node:path'
import { defineRegisterHook, defineTarget, type Target, type TargetUser } from '@ust-sync/api'
import { applyCommands } from './apply.js'
import { readScimFile, writeScimFile } from './scim-file.js'

/**
 * The `scimfile` target: a SCIM-style directory kept in a JSON file (see scim-file.ts). Connector file:
 *
 * ```yaml
 * file: scim.json                 # relative to this connector file
 * account: ops@example.com        # account of the token in the credential backend
 * secure_token_key: example-scim  # service name of the token in the credential backend
 * ```
 */
export const scimFileTarget = defineTarget({
  id: 'scimfile',
  description: 'Example: a SCIM-style directory kept in a JSON file (TypeScript)',
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
  // create() only keeps settings: it must not touch the file or the network (ust config validate calls it).
  create(config, context): Target {
    const file = path.resolve(context.configDir, String(config.file))
    const token = String(config.token)
    return {
      capabilities: { testMode: true, createGroups: true },
      endpoints: () => [],
      async snapshot(scope) {
        const data = await readScimFile(file, token)
        const wanted = scope.groups?.map((g) => g.toLowerCase())
        const users: TargetUser[] = data.users
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
        return scope.includeGroups
          ? { users, groups: data.groups.map((name) => ({ name, type: 'userGroup' as const })) }
          : { users }
      },
      async apply(commands, { testOnly }) {
        const data = await readScimFile(file, token)
        const results = applyCommands(data, commands)
        // Test mode: every command is checked against the data, nothing is written.
        if (!testOnly) await writeScimFile(file, data)
        context.logger.debug(`scimfile: ${commands.length} commands ${testOnly ? 'checked' : 'applied'} on ${file}`)
        return results
      },
    }
  },
})

export default defineRegisterHook(({ registry }) => registry.register(scimFileTarget))
