import type { ConnectorSchema } from '@ust-sync/api'

/** The `*_column_name` keys of `connector-csv.yml` and their UST defaults. */
export const COLUMN_DEFAULTS = {
  email_column_name: 'email',
  first_name_column_name: 'firstname',
  last_name_column_name: 'lastname',
  country_column_name: 'country',
  groups_column_name: 'groups',
  identity_type_column_name: 'type',
  username_column_name: 'username',
  domain_column_name: 'domain',
} as const

/** A `*_column_name` key. */
export type ColumnKey = keyof typeof COLUMN_DEFAULTS

const columnProperties = Object.fromEntries(
  Object.entries(COLUMN_DEFAULTS).map(([key, fallback]) => [
    key,
    {
      type: 'string',
      minLength: 1,
      description: `Header of the column read for this value (default \`${fallback}\`).`,
    },
  ]),
)

/**
 * Schema of `connector-csv.yml` (UST's keys, strict). The file is optional: `file_path` usually comes from
 * `--connector csv PATH` or `--users file PATH`.
 */
export const csvConnectorSchema: ConnectorSchema = {
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      file_path: {
        type: 'string',
        minLength: 1,
        description: 'The CSV file; relative paths resolve against the connector file.',
      },
      delimiter: { type: 'string', minLength: 1, maxLength: 1, description: 'Field separator; guessed when absent.' },
      string_encoding: {
        type: 'string',
        minLength: 1,
        description: 'Encoding of the file (default utf8), e.g. latin1, cp1252, utf-16.',
      },
      user_identity_type: {
        type: 'string',
        description: 'Identity type of rows without one: adobeID, enterpriseID or federatedID.',
      },
      ...columnProperties,
    },
  },
}
