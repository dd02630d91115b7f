import { ConfigError } from '@ust-sync/api'
import type { UstConfig } from '../config/types.js'
import { describeCsvError, parseCsv } from './csv.js'
import type { AdobeOnlyUser } from '../sync/plan-adobe-only.js'
import { compileExclusions, isExcluded } from '../sync/plan-rules.js'
import { domainOf, parseIdentityType, present, userKey } from '../sync/user-key.js'

/** Users read from an `--adobe-only-user-list` file, and what was wrong with the other rows. */
export interface AdobeOnlyList {
  users: AdobeOnlyUser[]
  /** Rows skipped because of the exclusion rules. */
  excluded: number
  warnings: string[]
  errors: string[]
}

/**
 * Parses an `--adobe-only-user-list` CSV (columns `type, username, email, domain, umapi`; the file
 * `write-file` produces reads back). Rows are read as UST's `get_user_key` reads them: a row is addressed by
 * its email; without one, by its username when email-form (domain taken from it), else by username + domain
 * (a Federated ID with a non-email username needs no email); a row with none of these is skipped with a warning; an
 * unknown type or target is an error for that row. Users matching `exclude_identity_types` or
 * `exclude_users` are skipped: an excluded user is never touched.
 */
export function parseAdobeOnlyList(text: string, file: string, config: UstConfig): AdobeOnlyList {
  const result: AdobeOnlyList = { users: [], excluded: 0, warnings: [], errors: [] }
  const targets = new Set(config.adobeUsers.targets.map((t) => t.name))
  const exclusions = compileExclusions(config)
  rowsOf(text, file).forEach((row, i) => {
    const where = `${file}:${i + 2}`
    const email = present(row.email) ?? ''
    const identityType = parseIdentityType(row.type)
    const listedUsername = present(row.username) ?? ''
    // UST's get_user_key: username (else email); an email-form username needs no domain, another one does.
    const addressable = email !== '' || listedUsername.includes('@') || (listedUsername !== '' && present(row.domain))
    if (!addressable) {
      result.warnings.push(
        `${where}: no email, and no username with a domain; row ignored (the Adobe-only user list needs either)`,
      )
      return
    }
    if (!identityType) {
      result.errors.push(
        `${where}: Invalid input line, ignored: type '${row.type ?? ''}' is not adobeID, enterpriseID or federatedID`,
      )
      return
    }
    const target = present(row.umapi) ?? 'primary'
    if (!targets.has(target)) {
      result.errors.push(
        `${where}: Invalid input line, ignored: umapi '${target}' is not a target of adobe_users.connectors`,
      )
      return
    }
    const username = identityType === 'adobeID' ? email || listedUsername : listedUsername || email
    const domain = username.includes('@') ? domainOf(username) : (present(row.domain) ?? domainOf(email))
    // UMAPI is addressed by email unless the username is not email-form: a row without an email is
    // addressed by its email-form username, as UST sends it (never an empty user).
    const address = email || (username.includes('@') ? username : '')
    const ref = { identityType, email: address, username, domain }
    if (isExcluded(ref, exclusions, target === 'primary')) {
      result.excluded++
      return
    }
    result.users.push({ target, key: userKey(identityType, username, domain, email), ref, mappedGroups: [] })
  })
  result.users.sort((a, b) => Number(a.target !== 'primary') - Number(b.target !== 'primary'))
  return result
}

/** The file's rows; a structurally broken file is a ConfigError naming it (csv-parse names the line). */
function rowsOf(text: string, file: string): Array<Record<string, string>> {
  try {
    return parseCsv(text)
  } catch (error) {
    const code = (error as { code?: unknown }).code
    const line = (error as { lines?: unknown }).lines
    // csv-parse's messages quote cell values: name the problem and the line, never the content.
    const reason = typeof code === 'string' ? describeCsvError(code) : 'unreadable'
    throw new ConfigError(
      `${file}${typeof line === 'number' ? `:${line}` : ''}: the Adobe-only user list is not valid CSV (${reason})`,
      {
        suggestions: ['Fix the file (columns type, username, email, domain, umapi), then run again'],
      },
    )
  }
}
