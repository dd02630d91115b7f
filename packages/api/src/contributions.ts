import type { CredentialBackendContext, PluginContext } from './context.js'
import type { ConnectorSchema } from './connector-schema.js'
import type { MappingHookDefinition } from './mapping-hook.js'
import type {
  CheckResult,
  CommandResult,
  DirectoryReadResult,
  Endpoint,
  PlannedCommand,
  SnapshotScope,
  SourceSelection,
  TargetSnapshot,
  TargetStats,
} from './records.js'

/** Connector file contents, already validated against the contribution's schema, secrets resolved. */
export type ConnectorConfig = Record<string, unknown>

/**
 * A live identity source created from a connector file. Read-only. One instance per run: `read` is called
 * once (twice reads of the same directory must return the same users), then `close`.
 */
export interface IdentitySource {
  /**
   * Reads the selected users (members of `selection.groups`, or everyone with `allUsers`), each with
   * `email` and the directory `groups` it is directly in. Must throw (`SourceError`, `NetworkError`,
   * `CredentialError`) when it cannot read everything asked: a partial read is never returned, because
   * missing users would be taken as deleted. Skippable bad records go to `warnings`. The result is
   * validated by the core; a malformed one is a `PluginError` naming the plugin (exit 5).
   */
  read(selection: SourceSelection): Promise<DirectoryReadResult>
  /** Online checks for `ust net check` (reachability, TLS, bind). */
  check?(): Promise<CheckResult[]>
  /** Endpoints it will contact (e.g. `ldaps://dc1.example.com:636`), for `ust net check` and the firewall list. */
  endpoints?(): Endpoint[]
  /**
   * What this source reads, stable whichever config file names it and however its filters are set: e.g.
   * `ldaps://dc1.example.com:636/dc=example,dc=com` or a CSV file's real path. The core keys its safety
   * state by it (the directory-drop guard's baseline), so a narrowed filter is compared with the last read
   * of the same directory. Never a secret, never a filter. Absent: the core uses the plugin id and the
   * connector's non-secret settings.
   */
  identity?(): string
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
  /**
   * Creates the source from the validated connector settings (secrets resolved; JSON Schema `default`s
   * are NOT applied: apply your own). Must not connect anywhere yet (used by `ust config validate`).
   * Throw a `ConfigError` for settings the schema cannot express.
   */
  create(config: ConnectorConfig, context: PluginContext): IdentitySource
}

/** What a target can do; the engine and the pacing adapt to it. */
export interface TargetCapabilities {
  /**
   * Whether the target validates commands without applying them (`apply(..., {testOnly: true})`). When
   * false, `ust sync -t` is refused (exit 2) before anything is read, and `testOnly` is never passed.
   */
  testMode: boolean
  /** Whether user groups can be created (`group_sync_options.auto_create`). */
  createGroups: boolean
}

/**
 * A live target created from a connector file. One instance per target connector per run serves the
 * `snapshot` and every `apply` batch of that run (keep connections and tokens on it), then `close`.
 */
export interface Target {
  readonly capabilities: TargetCapabilities
  /** Endpoints it will contact, for `ust net check`. */
  endpoints(): Endpoint[]
  /**
   * The organisation (or account) this target changes, stable whichever config file names it: e.g. the
   * Adobe org id, or the sandbox org file's real path. The core keys its safety state by it (the
   * directory-drop guard's baseline and the first-run check). Never a secret. Absent: the core uses the
   * plugin id and the connector's non-secret settings.
   */
  identity?(): string
  /**
   * Reads current users — only members of `scope.groups` when given (compare names ignoring case) — and,
   * with `scope.includeGroups`, every group. Throws a `TargetError` when it cannot read them all.
   */
  snapshot(scope: SnapshotScope): Promise<TargetSnapshot>
  /**
   * Executes one batch of commands in the given order (the engine already orders them: group creates,
   * then users, removals from the org last; each `UserCommand` is applied as create, update,
   * removeGroups, addGroups, removeFromOrg) and returns exactly one result per command, in any order.
   *
   * - Group names in commands are lower-cased: match them to the target's spelling ignoring case.
   * - A command that cannot be done is reported `failed` alone; the others go on (exit 8 for the run).
   * - Applying the same user commands again leaves the same state and reports `done` (idempotent).
   * - With `testOnly` the target validates without changing anything (only if `capabilities.testMode`).
   *
   * Throws (`TargetError`, `NetworkError`) only when nothing can be reported per command. The results are
   * validated by the core; a missing or extra result is a `PluginError` naming the plugin (exit 5).
   */
  apply(commands: PlannedCommand[], options: { testOnly: boolean }): Promise<CommandResult[]>
  /** Online checks for `ust net check`. */
  check?(): Promise<CheckResult[]>
  /** What this target has sent so far in the run (for `--metrics-file`); optional. */
  stats?(): TargetStats
  close?(): Promise<void>
}

/** A target contribution: the system being brought into line with the directory. */
export interface TargetDefinition {
  kind: 'target'
  /** Unique across all plugins, e.g. `umapi`; selected by `adobe_users.connectors.<id>`. */
  id: string
  description: string
  connector: ConnectorSchema
  /** Creates the target (settings validated, secrets resolved, `default`s not applied). Must not connect anywhere yet. */
  create(config: ConnectorConfig, context: PluginContext): Target
}

/** Whether a credential backend can be used here, and why not. */
export interface BackendAvailability {
  available: boolean
  /** Where secrets go (e.g. `Secret Service (gnome-keyring)`), or, in one line, why it is unavailable. */
  detail: string
  /**
   * When unavailable: what to do, one step per entry (the core shows each on its own `→` line). Name no
   * command-line flag: the same steps are shown by every command, and most have no `--backend`.
   */
  suggestions?: string[]
}

/**
 * A live credential backend, created once per command run. Secrets are addressed as UST addresses them in
 * the OS keyring: `service` is the value of `secure_X_key`, `account` the context user (UMAPI `org_id`,
 * LDAP `username`, ...). Errors are `CredentialError`s that never contain a secret.
 */
export interface CredentialBackend {
  /** Whether it can be used here; when not, `detail` says why and what to do. Must not throw. */
  describe(): Promise<BackendAvailability>
  /** The secret, or undefined when there is no entry. Throws when the store cannot be read (never "undefined"). */
  get(service: string, account: string): Promise<string | undefined>
  /** Stores (or replaces) a secret. A read-only backend throws a `CredentialError` saying how to provide it. */
  set(service: string, account: string, secret: string): Promise<void>
  /** Removes a secret; false when there was none. */
  delete(service: string, account: string): Promise<boolean>
  /** Accounts stored under `service` (never their secrets). */
  list(service: string): Promise<string[]>
}

/**
 * A credential backend contribution: stores secrets addressed by (service, account). Exactly one backend
 * answers a run: the one named by `credentials.backend`, `UST_CREDENTIAL_BACKEND` or `--backend`, else the
 * first available of ust's documented first-party default order. A third-party backend is used only when
 * named, and a miss never falls through to another backend.
 */
export interface CredentialBackendDefinition {
  kind: 'credentialBackend'
  /** Unique across all plugins, e.g. `keyring`, `env`, `file`. */
  id: string
  description: string
  /** True when secrets cannot be written through ust (e.g. environment variables). */
  readOnly?: boolean
  /** Creates the backend. Must not prompt or touch the store yet (used by `ust info`). */
  create(context: CredentialBackendContext): CredentialBackend
}
/** Any contribution a plugin registers. */
export type Contribution =
  | IdentitySourceDefinition
  | TargetDefinition
  | CredentialBackendDefinition
  | MappingHookDefinition

/** Passed to each plugin's `ust:register` hook as `options.registry`. */
export interface Registry {
  /** The contract version of the core running the hook. */
  readonly apiVersion: number
  /**
   * Registers a contribution. Ids are unique per kind across all plugins: an id registered by two plugins
   * is never resolved by load order — a command using it stops with a ConfigError naming both plugins.
   * What is registered must match the package.json `"ust": {"provides"}`.
   */
  register(contribution: Contribution): void
}

/**
 * Options of the `ust:register` hook. The hook only registers (no I/O); it has 10 seconds, and a hook that
 * throws or times out contributes nothing and is reported by plugin name.
 */
export interface RegisterHookOptions {
  registry: Registry
}
