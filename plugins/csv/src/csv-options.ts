import path from 'node:path'
import { ConfigError, type ConnectorConfig, type IdentityType } from '@ust-sync/api'
import { COLUMN_DEFAULTS, type ColumnKey } from './connector-schema.js'
import { iconv, isUtf8Name } from './encodings.js'
import { parseIdentityType } from './identity-type.js'

/** `connector-csv.yml` after defaults are applied. */
export interface CsvOptions {
  /** Absolute path of the CSV file; absent when neither the file nor the command line gave one. */
  filePath?: string
  /** Explicit delimiter; absent means "guess" (see `chooseDelimiter`). */
  delimiter?: string
  /** Encoding name as written (utf8 by default). */
  encoding: string
  /** Identity type of rows with an empty type column; absent: the main config's `user_identity_type` applies. */
  userIdentityType?: IdentityType
  /** Column header for each attribute. */
  columns: Record<ColumnKey, string>
  /** The `*_column_name` keys set in connector-csv.yml: such a column must be in the file. */
  configuredColumns: ColumnKey[]
}

const where = 'connector-csv.yml'

/**
 * Normalises a validated `connector-csv.yml` (plus the path from the command line): applies UST's defaults,
 * resolves a relative `file_path` against `configDir`, and checks the values a schema cannot
 * (`string_encoding` must be known to iconv-lite, `user_identity_type` one of the three types).
 */
export function csvOptionsFrom(config: ConnectorConfig, configDir: string): CsvOptions {
  const text = (key: string): string | undefined =>
    typeof config[key] === 'string' ? (config[key] as string) : undefined
  const encoding = text('string_encoding') ?? 'utf8'
  if (!isUtf8Name(encoding) && !iconv().encodingExists(encoding)) {
    throw new ConfigError(`Unknown string_encoding "${encoding}" in ${where}`, {
      code: 'config.csv.encoding',
      suggestions: ['Set string_encoding to an encoding such as utf8, latin1, cp1252 or utf-16.'],
    })
  }
  let userIdentityType: IdentityType | undefined
  const typeText = text('user_identity_type')
  if (typeText !== undefined) {
    userIdentityType = parseIdentityType(typeText)
    if (!userIdentityType) {
      throw new ConfigError(`Invalid user_identity_type "${typeText}" in ${where}`, {
        code: 'config.csv.identity-type',
        suggestions: ['Set user_identity_type to adobeID, enterpriseID or federatedID.'],
      })
    }
  }
  const columns = { ...COLUMN_DEFAULTS } as Record<ColumnKey, string>
  for (const key of Object.keys(COLUMN_DEFAULTS) as ColumnKey[]) columns[key] = text(key) ?? COLUMN_DEFAULTS[key]
  const filePath = text('file_path')
  const delimiter = text('delimiter')
  const configuredColumns = (Object.keys(COLUMN_DEFAULTS) as ColumnKey[]).filter((key) => text(key) !== undefined)
  return {
    configuredColumns,
    ...(filePath === undefined ? {} : { filePath: path.resolve(configDir, filePath) }),
    ...(delimiter === undefined ? {} : { delimiter }),
    encoding,
    ...(userIdentityType === undefined ? {} : { userIdentityType }),
    columns,
  }
}
