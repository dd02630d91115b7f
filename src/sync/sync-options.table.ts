/**
 * The options of `ust sync`, declared once: each row gives the field of {@link RawSyncFlags}, the flag
 * (kebab-case, as typed), the `invocation_defaults` key (UST spelling), the value's kind and, for UST's
 * two-token options, the accepted forms. The oclif flags and their help (src/services/sync-flags.ts), the
 * reading of `invocation_defaults` and the validation of values (resolve-options.ts) are all driven by it.
 *
 * Pure data: no oclif, no I/O.
 */

/** One accepted form of a two-token option: a keyword, and the argument it needs, if any. */
export interface TokenForm {
  keyword: string
  /** The argument: how help shows it (`PATH`) and what an error calls it (`file path`). */
  arg?: { help: string; what: string }
}

interface SpecBase {
  /** Field of {@link RawSyncFlags} and of the resolved options. */
  field: string
  /** The `invocation_defaults` key (UST spelling); none for a per-run decision only the command line gives. */
  defaultsKey?: string
  /** The flag as typed, without `--`; none for config-only options. */
  flag?: string
  /** One-letter short flag. */
  char?: string
  /** Help text (generated from `forms`/`values` when absent). */
  description?: string
}

/** `true/false` (also `yes/no`, `on/off`, `1/0` in `invocation_defaults`). */
export interface BooleanSpec extends SpecBase {
  kind: 'boolean'
  fallback: boolean
  /** The flag has a `--no-` form. */
  negatable?: boolean
  /** A second flag that sets the option to `false` (`--include-unmapped-users`). */
  inverse?: { flag: string; description: string }
}

/** One non-empty text (trimmed); `values` lists the accepted ones (compared case-insensitively). */
export interface TextSpec extends SpecBase {
  kind: 'text'
  values?: readonly string[]
}

/**
 * UST's two-token option: a keyword (trimmed, lower-cased) and its arguments (`group "g1,g2"`). `forms`
 * lists the accepted keywords; without it the keyword is free (`--connector <plugin id>`).
 */
export interface TokensSpec extends SpecBase {
  kind: 'tokens'
  fallback: string
  forms?: readonly TokenForm[]
}

export type SyncOptionSpec = BooleanSpec | TextSpec | TokensSpec

const FILE_PATH = { help: 'PATH', what: 'file path' } as const

export const SYNC_OPTIONS = [
  {
    field: 'testMode',
    defaultsKey: 'test_mode',
    flag: 'test-mode',
    char: 't',
    kind: 'boolean',
    fallback: false,
    negatable: true,
    description: 'validate every change with the target without applying it',
  },
  {
    field: 'users',
    defaultsKey: 'users',
    flag: 'users',
    kind: 'tokens',
    fallback: 'all',
    forms: [
      { keyword: 'all' },
      { keyword: 'mapped' },
      { keyword: 'file', arg: FILE_PATH },
      { keyword: 'group', arg: { help: '"g1,g2"', what: 'comma-separated group list' } },
    ],
  },
  {
    field: 'userFilter',
    defaultsKey: 'user_filter',
    flag: 'user-filter',
    kind: 'text',
    description: 'regex on the username part of the user key (full match, case-insensitive)',
  },
  {
    field: 'adobeUsers',
    defaultsKey: 'adobe_users',
    flag: 'adobe-users',
    kind: 'tokens',
    fallback: 'all',
    forms: [
      { keyword: 'all' },
      { keyword: 'mapped' },
      { keyword: 'group', arg: { help: '"g1,org2::g2"', what: 'comma-separated group list' } },
    ],
  },
  {
    field: 'adobeOnlyUserAction',
    defaultsKey: 'adobe_only_user_action',
    flag: 'adobe-only-user-action',
    kind: 'tokens',
    fallback: 'preserve',
    forms: [
      { keyword: 'preserve' },
      { keyword: 'exclude' },
      { keyword: 'write-file', arg: FILE_PATH },
      { keyword: 'remove-adobe-groups' },
      { keyword: 'remove' },
      { keyword: 'delete' },
    ],
  },
  {
    field: 'adobeOnlyUserList',
    defaultsKey: 'adobe_only_user_list',
    flag: 'adobe-only-user-list',
    kind: 'text',
    description: 'CSV of Adobe-only users to act on (no directory read)',
  },
  {
    field: 'processGroups',
    defaultsKey: 'process_groups',
    flag: 'process-groups',
    kind: 'boolean',
    fallback: false,
    negatable: true,
    description: 'add and remove mapped group memberships',
  },
  {
    field: 'updateUserInfo',
    defaultsKey: 'update_user_info',
    flag: 'update-user-info',
    kind: 'boolean',
    fallback: false,
    negatable: true,
    description: 'update names/email (update_attributes) of matched users',
  },
  { field: 'strategy', defaultsKey: 'strategy', flag: 'strategy', kind: 'text', values: ['sync', 'push'] },
  {
    field: 'connector',
    defaultsKey: 'connector',
    flag: 'connector',
    kind: 'tokens',
    fallback: 'ldap',
    description: 'identity source id, with a file for csv: ldap | csv PATH | <plugin id>',
  },
  {
    field: 'excludeUnmappedUsers',
    defaultsKey: 'exclude_unmapped_users',
    flag: 'exclude-unmapped-users',
    kind: 'boolean',
    fallback: false,
    negatable: true,
    description: 'do not create users that have no mapped group',
    inverse: { flag: 'include-unmapped-users', description: 'same as --no-exclude-unmapped-users' },
  },
  { field: 'sslCertVerify', defaultsKey: 'ssl_cert_verify', kind: 'boolean', fallback: true },
  {
    // ust's own: accepting an empty or shrunken directory read is a decision for one run, never a default.
    field: 'allowDirectoryDrop',
    flag: 'allow-directory-drop',
    kind: 'boolean',
    fallback: false,
    negatable: false,
    description:
      'act on Adobe-only users even though the directory returned no users, or far fewer than at the last successful run',
  },
] as const satisfies readonly SyncOptionSpec[]

type Spec = (typeof SYNC_OPTIONS)[number]
type RawValue<S> = S extends { kind: 'boolean' } ? boolean : S extends { kind: 'tokens' } ? string[] : string

/**
 * `ust sync` flags as parsed by the command, before defaults apply (derived from {@link SYNC_OPTIONS}).
 * Two-token options are arrays of tokens, as UST takes them: `users: ['group', 'g1,g2']`,
 * `connector: ['csv', 'file.csv']`.
 */
export type RawSyncFlags = { [S in Spec as S extends { flag: string } ? S['field'] : never]?: RawValue<S> }

/** The `invocation_defaults` key of each option field. */
export type SyncOptionField = Spec['field']

/** `a, b or c`. */
export function listWithOr(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`
}

/** A form as help and suggestions show it: `file PATH`. */
export const showForm = (form: TokenForm): string => (form.arg ? `${form.keyword} ${form.arg.help}` : form.keyword)

/** The help text of an option. */
export function describeOption(spec: SyncOptionSpec): string {
  if (spec.description) return spec.description
  if (spec.kind === 'tokens' && spec.forms) return spec.forms.map(showForm).join(' | ')
  if (spec.kind === 'text' && spec.values) return spec.values.join(' | ')
  return ''
}
