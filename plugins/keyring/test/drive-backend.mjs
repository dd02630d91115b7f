// Runs keyring backend operations given as JSON in argv[2] (e.g. [["set","S","U","v"],["get","S","U"]])
// against the plugin's sources, and prints one JSON result per operation: {value} or {error}.
// Run as `node --import ./ts-resolve.mjs drive-backend.mjs '<ops>'` (the sources are TypeScript).
import { keyringBackendDefinition } from '../src/definition.ts'

const backend = keyringBackendDefinition.create({})

const results = []
for (const [op, ...args] of JSON.parse(process.argv[2])) {
  try {
    const value = await backend[op](...args)
    results.push({ value: value === undefined ? null : value })
  } catch (error) {
    results.push({
      error: { name: error.name, message: error.message, exitCode: error.exitCode, suggestions: error.suggestions },
    })
  }
}
process.stdout.write(JSON.stringify(results))
