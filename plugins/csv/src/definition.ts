import { defineIdentitySource } from '@ust-sync/api'
import { csvConnectorSchema } from './connector-schema.js'
import { csvOptionsFrom } from './csv-options.js'
import { CsvSource } from './csv-source.js'

/**
 * The `csv` identity source: users and groups from a CSV file, with UST's `connector-csv.yml` keys.
 * `--connector csv PATH` and `--users file PATH` fill `file_path`.
 */
export const csvSourceDefinition = defineIdentitySource({
  id: 'csv',
  description: 'Users and groups from a CSV file (UST connector-csv)',
  connector: csvConnectorSchema,
  pathSetting: 'file_path',
  create: (config, context) => new CsvSource(csvOptionsFrom(config, context.configDir), context.logger),
})
