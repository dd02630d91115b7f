import type { PluginContext } from './context.js'
import type { ConnectorSchema } from './connector-schema.js'
import type {
  CheckResult,
  CommandResult,
  DirectoryReadResult,
  Endpoint,
  PlannedCommand,
  SnapshotScope,
  SourceSelection,
  TargetSnapshot,
} from './records.js'

/** Connector file contents, already validated against the contribution's schema, secrets resolved. */
export type ConnectorConfig = Record<string, unknown>

/** A live identity source created from a connector file. Read-only. */
export interface IdentitySource {
  /**
   * Reads the selected users. Must throw a `SourceError` when it cannot read everything asked: a partial
   * read is never returned, because missing users would be taken as deleted.
   */
  read(selection: SourceSelection): Promise<DirectoryReadResult>
  /** Online checks for `ust net check` (reachability, TLS, bind). */
  check?(): Promise<CheckResult[]>
  /** Endpoints it will contact (e.g. `ldaps://dc1.example.com:636`), for `ust net check` and the firewall list. */
  endpoints?(): Endpoint[]
  /** Releases connections. */
  close?(): Promise<void>
}

/**
 * An identity source contribution: reads people and their group memberships from a directory.
 * Selected by its `id`, e.g. `directory_users.connectors.<id>` or `--connector <id>`.
 */
export interface IdentitySourceDefinition {
  kind: 'identitySource'
  /** Unique across all plugins, e.g. `ldap`, `csv`. */
  id: string
  /** One line for `ust info`. */
  description: string
  /** Schema of the connector file. */
  connector: ConnectorSchema
  /**
   * Name of the connector setting that receives the file path of UST's two-token forms
   * (`--connector csv PATH`, `--users file PATH`), e.g. `file_path`. Absent: the source takes no path.
   */
  pathSetting?: string
  /** Creates the source. Must not connect anywhere yet (used by `ust config validate`). */
  create(config: ConnectorConfig, context: PluginContext): IdentitySource
}

/** What a target can do; the engine and the pacing adapt to it. */
export interface TargetCapabilities {
  /** Whether the target validates commands without applying them (`apply(..., {testOnly: true})`). */
  testMode: boolean
  /** Whether user groups can be created (`group_sync_options.auto_create`). */
  createGroups: boolean
}

/** A live target created from a connector file. */
export interface Target {
  readonly capabilities: TargetCapabilities
  /** Endpoints it will contact, for `ust net check`. */
  endpoints(): Endpoint[]
  /** Reads current users (and groups when asked). Throws a `TargetError` when it cannot read them all. */
  snapshot(scope: SnapshotScope): Promise<TargetSnapshot>
  /**
   * Executes commands in the given order (the engine already orders them: group creates, then users,
   * removals from the org last) and returns one result per command, in any order. With `testOnly` the
   * target validates without changing anything. Throws only when nothing can be reported per command.
   */
  apply(commands: PlannedCommand[], options: { testOnly: boolean }): Promise<CommandResult[]>
  /** Online checks for `ust net check`. */
  check?(): Promise<CheckResult[]>
  close?(): Promise<void>
}

/** A target contribution: the system being brought into line with the directory. */
export interface TargetDefinition {
  kind: 'target'
  /** Unique across all plugins, e.g. `umapi`; selected by `adobe_users.connectors.<id>`. */
  id: string
  description: string
  connector: ConnectorSchema
  /** Creates the target. Must not connect anywhere yet. */
  create(config: ConnectorConfig, context: PluginContext): Target
}

/** Whether a credential backend can be used here, and why not. */
export interface BackendAvailability {
  available: boolean
  /** Where secrets go (e.g. `Secret Service (gnome-keyring)`), or why it is unavailable and what to do. */
  detail: string
}

/** A credential backend contribution: stores secrets addressed by (service, account). */
export interface CredentialBackendDefinition {
  kind: 'credentialBackend'
  /** Unique across all plugins, e.g. `keyring`, `env`, `file`. */
  id: string
  description: string
  describe(): Promise<BackendAvailability>
  get(service: string, account: string): Promise<string | undefined>
  set(service: string, account: string, secret: string): Promise<void>
  delete(service: string, account: string): Promise<boolean>
  /** Accounts stored under `service` (not their secrets). */
  list(service: string): Promise<string[]>
}

/** Any contribution a plugin registers. */
export type Contribution = IdentitySourceDefinition | TargetDefinition | CredentialBackendDefinition

/** Passed to each plugin's `ust:register` hook as `options.registry`. */
export interface Registry {
  /** The contract version of the core running the hook. */
  readonly apiVersion: number
  /** Registers a contribution. Ids are unique per kind across all plugins; a duplicate is reported, naming both plugins. */
  register(contribution: Contribution): void
}

/** Options of the `ust:register` hook. */
export interface RegisterHookOptions {
  registry: Registry
}
