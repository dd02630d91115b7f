import type { Logger, PluginContext } from './context.js'

/**
 * A user's Adobe-side attributes as the mapping made them (UST's `target_attributes`). A hook may change
 * any of them; `undefined` (or `null`, or an empty string) means "none".
 *
 * - `firstname`, `lastname`, `email` and `username` feed the create and the `--update-user-info`
 *   comparison (within `update_attributes`); `country` is used when the user is created.
 * - Changing `email`, `username` or `domain` changes who the user is in Adobe: ust computes the user
 *   key from the values after the hook (UST kept the key from before, a defect not carried over).
 */
export interface TargetAttributes {
  email?: string | null | undefined
  username?: string | null | undefined
  /** Domain of a non-email username; absent when the directory gave none (as in UST). */
  domain?: string | null | undefined
  firstname?: string | null | undefined
  lastname?: string | null | undefined
  /** ISO-3166 alpha-2; upper-cased by ust after the hook. */
  country?: string | null | undefined
}

/**
 * What a mapping hook receives for one directory user (UST's `after_mapping_hook` scope). Every field
 * but `storage` and `logger` is new for each user. Change `targetAttributes` and `targetGroups` in
 * place, or assign new values to them on this object: ust reads both back after the call.
 */
export interface MappingHookUser {
  /**
   * The directory's attributes of the user (UST's `source_attributes`): what the identity source read,
   * including every name in `extended_attributes` / {@link MappingHook.extendedAttributes} (undefined
   * when the user has none; LDAP gives an array for a multi-valued attribute). Changing it has no effect.
   */
  readonly sourceAttributes: Readonly<Record<string, string | string[] | undefined>>
  /** The user's directory group names, as the source gave them (UST's `source_groups`). */
  readonly sourceGroups: ReadonlySet<string>
  /** Adobe attributes after mapping (UST's `target_attributes`): change them here. */
  targetAttributes: TargetAttributes
  /**
   * Adobe groups mapped from the user's directory groups through `directory_users.groups` (UST's
   * `target_groups`): `Group` for the primary org, `org::Group` for a secondary one, spelled as in the
   * config. Add or delete names. A name must be a group of the `groups` mapping or of
   * `extended_adobe_groups` (compared ignoring case); any other is logged as an error and ignored, as in
   * UST. `additional_groups` rules apply after the hook (it never sees their groups).
   */
  targetGroups: Set<string>
  /** One object for the whole run, the same for every user (UST's `hook_storage`): the hook's own state. */
  readonly storage: Record<string, unknown>
  /** Logs under the hook's id (UST gave the `processor` logger). */
  readonly logger: Logger
  /** Where the directory record came from (`users.csv:12`, an LDAP DN), for the hook's messages. */
  readonly origin?: string
}

/**
 * A live mapping hook, created once per run (after the config is loaded, before the directory is read).
 */
export interface MappingHook {
  /**
   * Directory attributes the hook needs (UST's `extended_attributes`): the identity source reads them and
   * puts them in `sourceAttributes`. Added to the config's `extended_attributes`.
   */
  extendedAttributes?: string[]
  /**
   * Adobe groups the hook may add (UST's `extended_adobe_groups`, `Group` or `org::Group`). Added to the
   * config's `extended_adobe_groups`. Each one is a group the sync manages, as if it were in the `groups`
   * mapping: with `--process-groups` it is removed from users the hook did not give it to, it is created
   * with `auto_create`, and `--adobe-users mapped` reads its members.
   */
  extendedAdobeGroups?: string[]
  /**
   * Called once per selected directory user, in directory order, after group mapping and before
   * `additional_groups` (UST's order), before anything is read from or sent to the target. Synchronous:
   * load what you need in `create`. An exception stops the run before any change (exit 5), naming the
   * plugin and the user.
   */
  afterMapping(user: MappingHookUser): void
}

/** Settings of the hook from the main config: `directory_users.extension` without its `plugin` key. */
export type MappingHookSettings = Record<string, unknown>

/**
 * A mapping hook contribution: UST's `extension` (`after_mapping_hook`) for JavaScript. Selected by
 * `directory_users.extension: {plugin: <id>, ...settings}` in the main config.
 */
export interface MappingHookDefinition {
  kind: 'mappingHook'
  /** Unique across all plugins; the value of `directory_users.extension.plugin`. */
  id: string
  /** One line for `ust info`. */
  description: string
  /**
   * Creates the hook from its settings (the config's values, as written; `extended_attributes` and
   * `extended_adobe_groups` are read by ust and not passed). Must not connect anywhere (used by
   * `ust config validate`). Throw a `ConfigError` for settings it cannot use.
   */
  create(settings: MappingHookSettings, context: PluginContext): MappingHook
}
