import { realpathSync } from 'node:fs'
import { defineIdentitySource, type IdentitySource } from '@ust-sync/api'
import { csvConnectorSchema } from './connector-schema.js'
import { csvOptionsFrom } from './csv-options.js'

/**
 * The `csv` identity source: users and groups from a CSV file, with UST's `connector-csv.yml` keys.
 * `--connector csv PATH` and `--users file PATH` fill `file_path`.
 */
export const csvSourceDefinition = defineIdentitySource({
  id: 'csv',
  description: 'Users and groups from a CSV file (UST connector-csv)',
  connector: csvConnectorSchema,
  pathSetting: 'file_path',
  create: (config, context): IdentitySource => {
    // Settings are checked now (`ust config validate`); the reader loads on the first read.
    const options = csvOptionsFrom(config, context.configDir)
    const file = options.filePath
    return {
      // The file read, wherever the connector file naming it lives.
      ...(file === undefined ? {} : { identity: () => `csv:${realPathOf(file)}` }),
      read: async (selection) => {
        const { CsvSource } = await import('./csv-source.js')
        return new CsvSource(options, context.logger).read(selection)
      },
    }
  },
})

/** The file's real path, or its absolute path when it cannot be resolved (the read reports that). */
function realPathOf(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    return file
  }
}
