/**
 * A target keeping users and groups in a JSON file (replace the file with your service's API). It is a
 * target for something that is not Adobe: every user is reported as `federatedID` with the email's domain.
 */
export const TARGET = `import { randomBytes } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  defineRegisterHook,
  defineTarget,
  TargetError,
  «type CommandResult,
  type PlannedCommand,
  type TargetGroup,
  type TargetUser,
  type UserCommand,
»} from '@ust-sync/api'

/** The file: {"groups": [{"name", "type"}], "users": [{"email", "firstname", "lastname", "country", "groups"}]}. */
«interface Store {
  groups: TargetGroup[]
  users: Omit<TargetUser, 'identityType' | 'username' | 'domain'>[]
}
»
const same = (a«: string», b«: string») => a.toLowerCase() === b.toLowerCase()
const messageOf = (error«: unknown») => (error instanceof Error ? error.message : String(error))

async function load(file«: string»)«: Promise<Store>» {
  try {
    const store = JSON.parse(await readFile(file, 'utf8'))
    if (Array.isArray(store?.users) && Array.isArray(store?.groups)) return store
  } catch (error) {
    throw new TargetError(\`Cannot read \${file}: \${messageOf(error)}\`, { cause: error })
  }
  throw new TargetError(\`\${file} has no "users" and "groups" lists\`)
}

/** Writes atomically (temporary file + rename): a crash never leaves half a file. */
async function save(file«: string», store«: Store») {
  const temp = path.join(path.dirname(file), \`.\${path.basename(file)}.\${randomBytes(4).toString('hex')}.tmp\`)
  await writeFile(temp, \`\${JSON.stringify(store, null, 2)}\\n\`, { mode: 0o600 })
  await rename(temp, file)
}

/** One user command, in the contract's order: create, update, removeGroups, addGroups, removeFromOrg. */
function applyUser(store«: Store», command«: UserCommand»)«: string | undefined» {
  let user = store.users.find((u) => same(u.email, command.user.email))
  const create = command.create
  if (!user) {
    // Removing a user who is not there is done already: ust may re-run a plan (idempotence).
    if (!create) return command.removeFromOrg ? undefined : \`no user \${command.user.email}\`
    user = { email: command.user.email, groups: [] }
    if (create.firstname !== undefined) user.firstname = create.firstname
    if (create.lastname !== undefined) user.lastname = create.lastname
    if (create.country !== undefined) user.country = create.country
    store.users.push(user)
  } else if (create?.onConflict === 'update') {
    if (create.firstname !== undefined) user.firstname = create.firstname
    if (create.lastname !== undefined) user.lastname = create.lastname
  }
  const update = command.update
  if (update?.email) user.email = update.email
  if (update?.firstname !== undefined) user.firstname = update.firstname
  if (update?.lastname !== undefined) user.lastname = update.lastname
  const remove = command.removeGroups
  if (remove === 'all') user.groups = []
  else if (remove) user.groups = user.groups.filter((g) => !remove.some((r) => same(r, g)))
  for (const name of command.addGroups ?? []) {
    // Group names in commands are lower-cased: keep the store's spelling.
    const group = store.groups.find((g) => same(g.name, name))
    if (!group) return \`no group "\${name}"\`
    if (!user.groups.some((g) => same(g, group.name))) user.groups.push(group.name)
  }
  if (command.removeFromOrg) store.users = store.users.filter((u) => u !== user)
  return undefined
}

function applyOne(store«: Store», command«: PlannedCommand»)«: CommandResult» {
  if (command.kind === 'createGroup') {
    if (!store.groups.some((g) => same(g.name, command.name))) store.groups.push({ name: command.name, type: 'userGroup' })
    return { commandId: command.id, status: 'done' }
  }
  const error = applyUser(store, command)
  return error
    ? { commandId: command.id, status: 'failed', errors: [{ code: 'user.failed', message: error }] }
    : { commandId: command.id, status: 'done' }
}

/**
 * The \`__ID__\` target. Connector file (\`connector-__ID__.yml\`):
 *
 * \`\`\`yaml
 * file: org.json   # relative to this connector file
 * \`\`\`
 */
export const target = defineTarget({
  id: '__ID__',
  description: '__DESCRIPTION__',
  connector: {
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['file'],
      properties: {
        file: { type: 'string', minLength: 1, 'x-ust-path': true, 'x-ust-message': 'must be the path of a JSON file' },
      },
    },
  },
  // create() only keeps settings: it must not connect anywhere (ust config validate calls it).
  create(config, context) {
    const file = path.resolve(context.configDir, String(config.file))
    return {
      capabilities: { testMode: true, createGroups: true },
      endpoints: () => [],
      async snapshot(scope) {
        const store = await load(file)
        const wanted = scope.groups
        const users = store.users
          .filter((u) => !wanted || u.groups.some((g) => wanted.some((w) => same(w, g))))
          // Not Adobe: one identity type for everyone; the username is the email, the domain the email's.
          .map((u)«: TargetUser» => ({
            ...u,
            identityType: 'federatedID',
            username: u.email,
            domain: u.email.slice(u.email.indexOf('@') + 1),
          }))
        return scope.includeGroups ? { users, groups: store.groups } : { users }
      },
      async apply(commands, { testOnly }) {
        // Read afresh for every batch and keep nothing between batches: test mode changes only this copy.
        const store = await load(file)
        const results = commands.map((command) => applyOne(store, command))
        if (!testOnly) await save(file, store)
        context.logger.debug(\`\${commands.length} commands \${testOnly ? 'checked' : 'applied'}\`)
        return results
      },
    }
  },
})

export default defineRegisterHook(({ registry }) => registry.register(target))
`

/** The conformance test of the target. */
export const TARGET_TEST = `import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkPluginPackage, checkTarget } from '@ust-sync/plugin-testkit'
import { afterAll, expect, it } from 'vitest'
import register, { target } from '__REGISTER__'

const dir = await mkdtemp(path.join(tmpdir(), '__ID__-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

it('keeps the ust plugin contract', async () => {
  await checkPluginPackage(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), { register })
  const report = await checkTarget(target, {
    configDir: dir,
    fresh: async () => {
      await writeFile(path.join(dir, 'org.json'), JSON.stringify({ groups: [], users: [] }))
      return { file: 'org.json' }
    },
  })
  expect(report.skipped).toEqual([])
})
`
