import type { IdentityType } from '@ust-sync/api'
import type { GroupPattern, UstPattern } from './ust-pattern.js'

/**
 * The loaded, validated UST configuration in normalised form. Produced by the config loader from
 * `user-sync-config.yml` (or `ust.config.yml`, `.ustrc*`) and the connector files it names.
 */

/** An Adobe group qualified by target: `org::Group` gives `{target: 'org', name: 'Group'}`; unqualified → `primary`. */
export interface AdobeGroupRef {
  target: string
  name: string
}

/** `directory_users.extension` as a `{plugin: <id>, ...}` map. */
export interface ExtensionConfig {
  /** Mapping hook id. */
  plugin: string
  /** Every other key, passed to the hook's `create`. */
  settings: Record<string, unknown>
  /** `extended_attributes`: read from the directory for the hook. */
  extendedAttributes: string[]
  /** `extended_adobe_groups`: groups the hook may assign, managed like mapped groups. */
  extendedAdobeGroups: AdobeGroupRef[]
}

/** `directory_users.groups[]`: one directory group → zero or more Adobe groups. */
export interface GroupMapping {
  directoryGroup: string
  adobeGroups: AdobeGroupRef[]
}

/** `directory_users.additional_groups[]`: a regex over the user's directory groups and a replacement target. */
export interface AdditionalGroupRule {
  /** UST's `re.compile(source)`: `re.match` (prefix, case-sensitive) against each directory group, then `re.sub`. */
  source: GroupPattern
  /** Replacement template (Python `re.sub`): `\1` / `\g<name>` back-references; may be `org::...`. */
  target: string
}

/** A connector file (or list of files, merged in order) as named in the main config. */
export interface ConnectorFile {
  /** Plugin contribution id, e.g. `umapi`, `sandbox`, `ldap`, `csv`. */
  pluginId: string
  /** Absolute paths of the file(s), in merge order. Empty when the connector has no file (e.g. csv given only by `--connector csv PATH`). */
  files: string[]
  /** Merged contents, validated against the contribution's schema. Secrets still unresolved (see `secrets`). */
  values: Record<string, unknown>
  /** `secure_X_key` references found, to resolve through the credential layer. */
  secrets: SecretReference[]
}

/** A `secure_X_key: service` setting found in a connector file. */
export interface SecretReference {
  /** Dotted path of the plain key it stands for, e.g. `enterprise.client_secret`. */
  key: string
  /** Keyring service name (the value of `secure_X_key`). */
  service: string
  /** Keyring account (UST's keyring username: `org_id`, LDAP `username`, ...). */
  account: string
  /** Where it was written, for messages. */
  file: string
  line?: number
}

/** A target (Adobe org) from `adobe_users.connectors`: the primary first, then secondaries by name. */
export interface TargetConnector extends ConnectorFile {
  /** `primary`, or the secondary's name used in `name::Group`. */
  name: string
}

/** `limits.first_run_removal_percent` when the config does not set it. */
export const DEFAULT_FIRST_RUN_REMOVAL_PERCENT = 10

/** `limits.max_adobe_only_users`. */
export type AdobeOnlyLimit = { kind: 'count'; value: number } | { kind: 'percent'; value: number }

/** One directory group of a Sign Sync `user_management` list, its entries merged (UST's rules). */
export interface SignMapping {
  directoryGroup: string
  /** Index of the first entry naming this directory group: the lower wins. */
  priority: number
  /** Sign groups in YAML order, without repeats; the first is the user's target group. */
  groups: AdobeGroupRef[]
  groupAdmin: boolean
  accountAdmin: boolean
}

/** What a UST Sign Sync config (`sign-sync-config.yml`) adds to the engine's configuration. */
export interface SignSyncConfig {
  mappings: SignMapping[]
  /** `user_sync.sign_only_user_action`. */
  signOnlyUserAction: 'exclude' | 'reset' | 'deactivate' | 'remove_roles' | 'remove_groups'
  /** `user_sync.sign_only_limit` (also in `limits.maxAdobeOnlyUsers`). */
  signOnlyLimit: AdobeOnlyLimit
  /** Per org (`sign_orgs` key): the connector's `create_users` and `deactivate_users`. */
  orgs: { name: string; createUsers: boolean; deactivateUsers: boolean }[]
}

export interface UstConfig {
  /** Present when the main file is a UST Sign Sync config: `ust sign-sync` runs it. */
  sign?: SignSyncConfig
  /** Absolute path of the main config file. */
  file: string
  /** Every file read, main first. */
  files: string[]
  adobeUsers: {
    excludeIdentityTypes: IdentityType[]
    /** Lower-cased primary-org group names. */
    excludeAdobeGroups: string[]
    /** Full-match, case-insensitive, tested against the username. */
    excludeUsers: UstPattern[]
    updateAttributes: Array<'firstname' | 'lastname' | 'email' | 'username'>
    /** Primary first. */
    targets: TargetConnector[]
  }
  directoryUsers: {
    userIdentityType: IdentityType
    defaultCountryCode?: string
    /** By contribution id (`ldap`, `csv`, a third-party `okta2`, ...). */
    connectors: Record<string, ConnectorFile>
    groups: GroupMapping[]
    additionalGroups: AdditionalGroupRule[]
    autoCreateGroups: boolean
    /** `extension: {plugin, ...}`: the mapping hook (UST's `after_mapping_hook`, in JavaScript). */
    extension?: ExtensionConfig
  }
  limits: {
    maxAdobeOnlyUsers: AdobeOnlyLimit
    groupRemovalsOnly: boolean
    /**
     * `limits.first_run_removal_percent` (ust's own key, default 10): with no baseline for this directory
     * and org yet, the most Adobe-only users a run may act on, as a percentage of the org's users; more
     * needs `--allow-directory-drop`.
     */
    firstRunRemovalPercent: number
  }
  logging: {
    logToFile: boolean
    fileLogDirectory: string
    fileLogNameFormat: string
    fileLogLevel: string
    consoleLogLevel: string
    logProgress: boolean
  }
  /**
   * The `network:` section (proxy, no_proxy, ca_file, ssl_verify, allow_insecure_http) as written, with
   * `secure_proxy_password_key` extracted into `secrets` (account: `proxy_user`); see src/network/settings.ts.
   */
  network?: { file: string; values: Record<string, unknown>; secrets: SecretReference[] }
  /** `credentials:`: the credential backend named in the main file (`credentials.backend`), if any. */
  credentials: { backend?: string }
  /** `metrics_file` (ust's own key): Prometheus text written at the end of every sync run; `--metrics-file` wins. */
  metricsFile?: string
  /** `invocation_defaults`, keys as in UST (snake_case), values as written; flags override them. */
  invocationDefaults: Record<string, unknown>
}
