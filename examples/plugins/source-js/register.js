// The `peoplejs` identity source: people and their groups from a JSON file
// ([{"email", "firstname", "lastname", "country", "groups": [...]}]). Plain ESM JavaScript, no build step.
// Connector file: `file: people.json` (relative to the connector file).
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { defineIdentitySource, defineRegisterHook, SourceError } from '@ust-sync/api'

export const peopleSource = defineIdentitySource({
  id: 'peoplejs',
  description: 'Example: people and their groups from a JSON file (JavaScript)',
  connector: {
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['file'],
      properties: { file: { type: 'string', minLength: 1, 'x-ust-path': true } },
    },
  },
  pathSetting: 'file',
  create(config, context) {
    const file = path.resolve(context.configDir, String(config.file))
    return {
      async read(selection) {
        let people
        try {
          people = JSON.parse(await readFile(file, 'utf8'))
        } catch (error) {
          // A read that cannot complete throws: missing users would be taken as removed.
          throw new SourceError(`Cannot read the people file ${file}: ${error.message}`, {
            suggestions: ['Check "file" in the peoplejs connector file'],
          })
        }
        if (!Array.isArray(people)) throw new SourceError(`${file} must hold a JSON array of people`)
        const wanted = new Set(selection.groups.map((g) => g.toLowerCase()))
        const users = []
        const warnings = []
        people.forEach((person, i) => {
          const groups = Array.isArray(person.groups) ? person.groups.map(String) : []
          if (typeof person.email !== 'string' || !person.email.includes('@')) {
            warnings.push(`${file}: entry ${i + 1} has no valid email; skipped`)
            return
          }
          if (!selection.allUsers && !groups.some((g) => wanted.has(g.toLowerCase()))) return
          const attributes = {}
          for (const name of selection.extendedAttributes)
            if (typeof person[name] === 'string') attributes[name] = person[name]
          users.push({
            email: person.email,
            ...(typeof person.firstname === 'string' ? { firstname: person.firstname } : {}),
            ...(typeof person.lastname === 'string' ? { lastname: person.lastname } : {}),
            ...(typeof person.country === 'string' ? { country: person.country.toUpperCase() } : {}),
            groups,
            attributes,
            origin: `${path.basename(file)}[${i}]`,
          })
        })
        return { users, warnings }
      },
    }
  },
})

export default defineRegisterHook(({ registry }) => registry.register(peopleSource))
