import { readFile } from 'node:fs/promises'
import path from 'node:path'
import {
  defineIdentitySource,
  defineRegisterHook,
  type DirectoryUser,
  type IdentitySource,
  SourceError,
} from '@ust-sync/api'

/** One entry of the people file: `[{"email", "firstname", "lastname", "country", "groups": [...], ...}]`. */
type Person = Record<string, unknown> & { email?: unknown; groups?: unknown }

/**
 * The `people` identity source: reads people from a JSON file. Connector file (`connector-people.yml`):
 *
 * ```yaml
 * file: people.json   # relative to this connector file
 * ```
 */
export const peopleSource = defineIdentitySource({
  id: 'people',
  description: 'Example: people and their groups from a JSON file (TypeScript)',
  connector: {
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['file'],
      properties: { file: { type: 'string', minLength: 1, 'x-ust-path': true } },
    },
  },
  // `--connector people PATH` puts PATH into `file`.
  pathSetting: 'file',
  create(config, context): IdentitySource {
    const file = path.resolve(context.configDir, String(config.file))
    return {
      async read(selection) {
        let people: Person[]
        try {
          people = JSON.parse(await readFile(file, 'utf8')) as Person[]
        } catch (error) {
          // Never return what could be read: missing users would be taken as removed.
          throw new SourceError(`Cannot read the people file ${file}: ${(error as Error).message}`, {
            suggestions: ['Check "file" in the people connector file'],
          })
        }
        if (!Array.isArray(people)) throw new SourceError(`${file} must hold a JSON array of people`)
        const wanted = new Set(selection.groups.map((g) => g.toLowerCase()))
        const users: DirectoryUser[] = []
        const warnings: string[] = []
        for (const [i, person] of people.entries()) {
          const groups = Array.isArray(person.groups) ? person.groups.map(String) : []
          if (typeof person.email !== 'string' || !person.email.includes('@')) {
            warnings.push(`${file}: entry ${i + 1} has no valid email; skipped`)
            continue
          }
          if (!selection.allUsers && !groups.some((g) => wanted.has(g.toLowerCase()))) continue
          const attributes: Record<string, string> = {}
          for (const name of selection.extendedAttributes)
            if (typeof person[name] === 'string') attributes[name] = person[name] as string
          users.push({
            email: person.email,
            ...(typeof person.firstname === 'string' ? { firstname: person.firstname } : {}),
            ...(typeof person.lastname === 'string' ? { lastname: person.lastname } : {}),
            ...(typeof person.country === 'string' ? { country: person.country.toUpperCase() } : {}),
            groups,
            attributes,
            origin: `${path.basename(file)}[${i}]`,
          })
        }
        return { users, warnings }
      },
    }
  },
})

export default defineRegisterHook(({ registry }) => registry.register(peopleSource))
