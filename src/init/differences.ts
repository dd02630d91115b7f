import { type PatternUse, patternProblem } from '../config/ust-pattern.js'
import type { UstFolder } from './ust-folder.js'

/** Where every difference is explained, each under an anchor named by its id. */
export const MIGRATION_GUIDE = 'docs/admin/migrating-from-ust.md'

/** One "Differences from UST" item (docs/admin/migrating-from-ust.md) that applies to a configuration, and why it does. */
export interface Difference {
  /** Stable id, e.g. `push-strategy`. */
  id: string
  /** What ust does differently (the wording of docs/admin/migrating-from-ust.md, shortened). */
  title: string
  /** Why it applies to this configuration. */
  because: string
}

const obj = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value])
const first = (value: unknown): string => String(list(value)[0] ?? '').toLowerCase()
const isFalse = (value: unknown) => value === false || String(value).toLowerCase() === 'false'

interface Rule {
  id: string
  title: string
  /** The reason it applies, or undefined when it does not. */
  applies(f: UstFolder): string | undefined
}

const defaults = (f: UstFolder) => obj(f.main.invocation_defaults)
const adobeUsers = (f: UstFolder) => obj(f.main.adobe_users)
const directoryUsers = (f: UstFolder) => obj(f.main.directory_users)

/** The differences from UST, each with the test of whether a configuration is concerned. */
const RULES: Rule[] = [
  {
    id: 'push-strategy',
    title:
      'The push strategy works (UST 2.10.0rc2 crashes on it); push skips users caught by exclude_identity_types / exclude_users',
    applies: (f) => (first(defaults(f).strategy) === 'push' ? 'invocation_defaults.strategy is push' : undefined),
  },
  {
    id: 'email-change',
    title:
      'An email change of a user whose username is not an email addresses the user by its current identity (UST sends it to the new address, which UMAPI refuses)',
    applies: (f) =>
      list(adobeUsers(f).update_attributes).includes('email')
        ? 'adobe_users.update_attributes includes email'
        : undefined,
  },
  {
    id: 'blank-values',
    title: 'A blank directory value for an updatable attribute is "no value": no empty update is sent or counted',
    applies: (f) =>
      list(adobeUsers(f).update_attributes).length > 0 ? 'adobe_users.update_attributes is set' : undefined,
  },
  {
    id: 'matching',
    title:
      'Matching respects identity type and domain; ambiguous matches are warnings; an Adobe ID matches only Adobe IDs and never receives attribute updates',
    applies: (f) =>
      list(adobeUsers(f).exclude_identity_types).includes('adobeID')
        ? undefined
        : 'Adobe IDs are not excluded (adobe_users.exclude_identity_types)',
  },
  {
    id: 'delete-adobe-ids',
    title: '`delete` removes Adobe IDs from the org with deleteAccount: false (they cannot be deleted)',
    applies: (f) =>
      first(defaults(f).adobe_only_user_action) === 'delete'
        ? 'invocation_defaults.adobe_only_user_action is delete'
        : undefined,
  },
  {
    id: 'secondary-orgs-first',
    title: 'All secondary-org commands complete before any primary removal or deletion',
    applies: (f) => (f.secondaryOrgs > 0 ? `${f.secondaryOrgs} secondary UMAPI org(s) are configured` : undefined),
  },
  {
    id: 'option-errors',
    title: 'Invalid option combinations are configuration errors with a non-zero exit (UST exits 0)',
    applies: () => 'applies to every configuration',
  },
  {
    id: 'auto-create-counted',
    title: 'Auto-created user groups are counted in "Number of Adobe user-groups created" and in the actions line',
    applies: (f) =>
      String(obj(directoryUsers(f).group_sync_options).auto_create).toLowerCase() === 'true'
        ? 'directory_users.group_sync_options.auto_create is on'
        : undefined,
  },
  {
    id: 'adobe-only-counters',
    title: 'Adobe-only counters count the users actually acted on',
    applies: (f) => {
      const action = first(defaults(f).adobe_only_user_action)
      return action && action !== 'preserve' ? `invocation_defaults.adobe_only_user_action is ${action}` : undefined
    },
  },
  {
    id: 'group-names',
    title:
      'Directory group names are trimmed and compared case-insensitively (a match only by case or spaces is warned about)',
    applies: (f) =>
      list(directoryUsers(f).groups).length > 0 ? 'directory_users.groups maps directory groups' : undefined,
  },
  {
    id: 'csv-rows',
    title:
      'CSV: a row with an invalid identity type is kept (default type, warning); invalid UTF-8 and stray quotes stop the read with the line number; "Number of directory users read" counts the selected users',
    applies: (f) => (f.sources.has('csv') ? 'a csv directory connector is configured' : undefined),
  },
  {
    id: 'jwt-refused',
    title: 'UMAPI JWT authentication (retired by Adobe) is refused: move to OAuth Server-to-Server',
    applies: (f) => {
      const jwt = f.umapi.filter(
        (u) =>
          first(u.value.authentication_method) === 'jwt' ||
          (u.value.authentication_method === undefined && obj(u.value.enterprise).tech_acct_id !== undefined),
      )
      return jwt.length > 0 ? `the ${jwt.map((u) => u.org).join(', ')} UMAPI connector uses JWT` : undefined
    },
  },
  {
    id: 'extension',
    title:
      "directory_users.extension (UST's Python after_mapping_hook) is refused: rewrite it as a JavaScript mapping hook (the error shows the skeleton)",
    applies: (f) => {
      const extension = directoryUsers(f).extension
      return typeof extension === 'string' || Array.isArray(extension)
        ? 'directory_users.extension names a UST extension file'
        : undefined
    },
  },
  {
    id: 'all-connectors-validated',
    title: 'Every configured connector file is validated, not only the one in use',
    applies: (f) =>
      f.sources.size > 1
        ? `${f.sources.size} directory connectors are configured (${[...f.sources.keys()].join(', ')})`
        : undefined,
  },
  {
    id: 'csv-default-path',
    title: '`invocation_defaults: connector: csv` needs no path when connector-csv.yml gives file_path',
    applies: (f) => (first(defaults(f).connector) === 'csv' ? 'invocation_defaults.connector is csv' : undefined),
  },
  {
    id: 'ssl-verify-process-wide',
    title:
      '`ssl_cert_verify: False` is applied process-wide (UST: UMAPI only); prefer trusting your proxy CA with NODE_EXTRA_CA_CERTS',
    applies: (f) => {
      if (isFalse(defaults(f).ssl_cert_verify)) return 'invocation_defaults.ssl_cert_verify is False'
      const off = f.umapi.find((u) => isFalse(obj(u.value.server).ssl_verify))
      return off ? `server.ssl_verify is False in the ${off.org} UMAPI connector` : undefined
    },
  },
  {
    id: 'regex-engine',
    title:
      'Patterns run in linear time (RE2): back-references, look-around and a few other Python-only constructs are refused',
    applies: (f) => {
      const refused = patternsOf(f).flatMap(({ key, pattern, use }) => {
        const problem = patternProblem(pattern, use)
        return problem ? [`${key} '${pattern}': ${problem}`] : []
      })
      return refused.length > 0 ? refused.join('; ') : undefined
    },
  },
]

/** Every pattern of the folder with where UST applies it. */
function patternsOf(f: UstFolder): Array<{ key: string; pattern: string; use: PatternUse }> {
  const found: Array<{ key: string; pattern: string; use: PatternUse }> = []
  for (const p of list(adobeUsers(f).exclude_users))
    if (typeof p === 'string') found.push({ key: 'adobe_users.exclude_users', pattern: p, use: 'exclude_users' })
  for (const rule of list(directoryUsers(f).additional_groups)) {
    const source = obj(rule).source
    if (typeof source === 'string')
      found.push({ key: 'directory_users.additional_groups', pattern: source, use: 'additional_groups' })
  }
  const filter = defaults(f).user_filter
  if (typeof filter === 'string' && filter !== '')
    found.push({ key: 'invocation_defaults.user_filter', pattern: filter, use: 'user_filter' })
  return found
}

/** The differences between UST and ust that concern this configuration, in the order of the rules above. */
export function differencesFor(folder: UstFolder): Difference[] {
  const found: Difference[] = []
  for (const rule of RULES) {
    const because = rule.applies(folder)
    if (because) found.push({ id: rule.id, title: rule.title, because })
  }
  return found
}
