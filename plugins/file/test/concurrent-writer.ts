// Child process of the "two writers at once" test: stores `count` secrets under service argv[3] in the
// file backend of data dir argv[2], one after the other, as a separate ust process would.
import { fileBackendDefinition } from '../src/definition.js'
import { testContext } from './context.js'

const [dataDir, service, count] = process.argv.slice(2) as [string, string, string]
const backend = fileBackendDefinition.create(testContext(dataDir))
for (let i = 0; i < Number(count); i++) await backend.set(service, `account-${i}`, `${service}-secret-${i}`)
