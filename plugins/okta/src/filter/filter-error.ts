import { ConfigError } from '@ust-sync/api'

/** What an `all_users_filter` may contain, for error suggestions and the docs. */
export const FILTER_LANGUAGE_SUMMARY =
  'user.status, user.id, user.<date field> and user.profile.<attribute> compared with ==, !=, <, <=, >, >=, in / not in (a list or a string), combined with and / or / not and parentheses; strings, numbers, True, False, None; getattr(user.profile, "name", default), hasattr(user.profile, "name"), len(...), and the string methods startswith, endswith, lower, upper, strip'

/** A `ConfigError` for an `all_users_filter` outside the supported language, pointing at the column. */
export function filterError(text: string, problem: string, column: number): ConfigError {
  return new ConfigError(
    `all_users_filter in connector-okta.yml: ${problem} at column ${column} of '${text}'. ust evaluates a small, safe subset of the Python expressions UST accepted, never Python itself`,
    {
      code: 'config.okta.all-users-filter',
      suggestions: [`Write the filter with ${FILTER_LANGUAGE_SUMMARY}, e.g. user.status == "ACTIVE".`],
    },
  )
}
