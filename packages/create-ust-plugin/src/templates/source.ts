/** An identity source reading people from a JSON file (replace the reading with your directory's API). */
export const SOURCE = `import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { defineIdentitySource, defineRegisterHook, SourceError«, type DirectoryUser» } from '@ust-sync/api'

/** A person as the file holds it: {email, firstname?, lastname?, country?, groups?, …other attributes}. */
«type Person = Record<string, unknown>
»
const messageOf = (error«: unknown») => (error instanceof Error ? error.message : String(error))
const text = (value«: unknown») => (typeof value === 'string' && value ? value : undefined)

/**
 * The \`__ID__\` identity source. Connector file (\`connector-__ID__.yml\`):
 *
 * \`\`\`yaml
 * file: people.json   # relative to this connector file
 * \`\`\`
 */
export const source = defineIdentitySource({
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
  pathSetting: 'file',
  // create() only keeps settings: it must not connect anywhere (ust config validate calls it).
  create(config, context) {
    const file = path.resolve(context.configDir, String(config.file))
    return {
      async read(selection) {
        let people«: Person[]»
        try {
          people = JSON.parse(await readFile(file, 'utf8'))
        } catch (error) {
          // Never return what was read so far: a user missing from the result is a user ust removes.
          throw new SourceError(\`Cannot read \${file}: \${messageOf(error)}\`, {
            suggestions: ['Check "file" in the __ID__ connector file'],
            cause: error,
          })
        }
        if (!Array.isArray(people)) throw new SourceError(\`\${file} is not a JSON list of people\`)
        const wanted = selection.groups.map((g) => g.toLowerCase())
        const users«: DirectoryUser[]» = []
        const warnings«: string[]» = []
        for (const [i, person] of people.entries()) {
          const email = text(person?.email)
          if (!email) {
            warnings.push(\`\${path.basename(file)}[\${i}]: no email; skipped\`)
            continue
          }
          const groups = Array.isArray(person.groups) ? person.groups.filter((g«: unknown»)«: g is string» => typeof g === 'string') : []
          if (!selection.allUsers && !groups.some((g) => wanted.includes(g.toLowerCase()))) continue
          const attributes«: Record<string, string>» = {}
          for (const name of selection.extendedAttributes) {
            const value = text(person[name])
            if (value !== undefined) attributes[name] = value
          }
          const firstname = text(person.firstname)
          const lastname = text(person.lastname)
          const country = text(person.country)
          users.push({
            email,
            groups,
            ...(firstname ? { firstname } : {}),
            ...(lastname ? { lastname } : {}),
            ...(country ? { country: country.toUpperCase() } : {}),
            ...(Object.keys(attributes).length ? { attributes } : {}),
            origin: \`\${path.basename(file)}[\${i}]\`,
          })
        }
        return { users, warnings }
      },
    }
  },
})

export default defineRegisterHook(({ registry }) => registry.register(source))
`

/** The conformance test of the source. */
export const SOURCE_TEST = `import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkIdentitySource, checkPluginPackage } from '@ust-sync/plugin-testkit'
import { afterAll, expect, it } from 'vitest'
import register, { source } from '__REGISTER__'

const dir = await mkdtemp(path.join(tmpdir(), '__ID__-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

it('keeps the ust plugin contract', async () => {
  await checkPluginPackage(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), { register })
  const people = [
    { email: 'ann@example.com', firstname: 'Ann', lastname: 'Lee', country: 'us', groups: ['Design'], dept: 'D1' },
    { email: 'bob@example.com', groups: ['Sales'] },
  ]
  await writeFile(path.join(dir, 'people.json'), JSON.stringify(people))
  const report = await checkIdentitySource(source, {
    config: { file: 'people.json' },
    failingConfig: { file: 'missing.json' },
    extendedAttributes: ['dept'],
    configDir: dir,
  })
  expect(report.skipped).toEqual([])
})
`
