/** Leveled logger given to plugins. Messages must never contain secrets. */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

/** Time, injectable so tests and benchmarks can control it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  /** Resolves after `ms` milliseconds (rejects when `signal` aborts). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/**
 * HTTP access the core gives a plugin. Proxy, `no_proxy` and extra CA certificates are applied
 * process-wide before any plugin connects, so the global `fetch`, `node:https` and TLS sockets already
 * honour them; what this adds is for people: failures come as `NetworkError`s (exit 4) that say what
 * went wrong ("the proxy refused the credentials", "certificate issued by X is not trusted: set
 * ca_file", ...) instead of `fetch failed`, and per-host exceptions to TLS verification.
 */
export interface NetworkAccess {
  /**
   * `fetch` for the plugin's HTTP client (first-party plugins pass it to ky as its `fetch` option).
   * Refuses plain `http://` to another machine unless the configuration allows it (redirects included).
   * It runs on `node:https` (about half the global fetch's CPU per request): the reply's
   * body is read whole before the `Response` resolves (no streaming; gzip, deflate and br are decoded, to
   * at most 256 MiB: a reply expanding past that fails as a `NetworkError` `network.bad-reply`).
   */
  fetch: typeof fetch
  /**
   * A `fetch` that does not verify the TLS certificates of `hosts` (every other host stays verified),
   * for a connector whose configuration says `ssl_verify: false`. Logs a warning naming each host.
   * Never changes anything process-wide.
   */
  unverifiedFetch(hosts: readonly string[], reason: string): typeof fetch
  /**
   * The client certificate (mutual TLS) the configuration gives for `host` (`network.client_certificates`),
   * as options for `tls.connect` — pass them to a TLS client that does not go through {@link fetch} (e.g.
   * an LDAP client's `tlsOptions`); {@link fetch} already offers it. Undefined when none is configured for
   * the host. Holds a private key and its passphrase: never log it. Absent in cores before it existed.
   */
  clientCertificate?(host: string): ClientCertificateOptions | undefined
}

/** A client certificate and its private key, in the shape `tls.connect` takes them. */
export interface ClientCertificateOptions {
  /** PEM certificate chain, leaf first (with `key`). */
  cert?: string
  /** PEM private key (with `cert`). */
  key?: string
  /** PKCS#12 bundle holding both (instead of `cert` and `key`). */
  pfx?: Uint8Array
  /** Passphrase of the key or of the PKCS#12 bundle. */
  passphrase?: string
}

/**
 * Everything the core gives a plugin contribution when it creates it. A plugin never reaches into the
 * core: network settings (proxy, CA) are already applied process-wide, so the global `fetch`,
 * `node:https` and TLS sockets just work; `network` adds readable failures and per-host TLS exceptions.
 */
export interface PluginContext {
  logger: Logger
  clock: Clock
  /** Directory of the connector file (relative paths in it resolve against this). */
  configDir: string
  /** ust's data directory (`UST_DATA_DIR`, else `$XDG_DATA_HOME/ust`). */
  dataDir: string
  /** `User-Agent` to send on HTTP requests, e.g. `ust-sync/0.1.0 node/24.21.0 (linux)`. */
  userAgent: string
  /**
   * Whether TLS certificates are verified by default for this connector's connections (false when the
   * config says `invocation_defaults.ssl_cert_verify: false` or `network.ssl_verify: false`). It applies to
   * the plugin's own hosts only: use `network.unverifiedFetch` (or `rejectUnauthorized: false` on your
   * own sockets), never `NODE_TLS_REJECT_UNAUTHORIZED`.
   */
  tlsVerify: boolean
  /** The core's HTTP access (absent in a core older than API 1.1: use the global `fetch` then). */
  network?: NetworkAccess
  /** Progress of long steps (a no-op off a terminal); absent in older cores: use `context.progress?.start(…)`. */
  progress?: Progress
}

/**
 * One long step shown as progress (count, rate, expected end) on an interactive terminal. Every method is
 * cheap and may be called often; the core decides whether and how often anything is drawn.
 */
export interface ProgressTask {
  /** Adds `n` finished items; `total` sets or corrects the number expected (when it becomes known). */
  tick(n: number, total?: number): void
  /** The step is waiting (e.g. for a rate limit) until `until` (ms since the epoch). */
  waiting(until: number): void
  /** The step is finished; the line disappears. */
  end(): void
}

/**
 * Progress of long steps (reading a large org, sending thousands of commands). Shown only on a terminal
 * (not with `--json`, not when stderr is redirected, not below the `info` log level); otherwise a no-op.
 */
export interface Progress {
  /** Starts a task, e.g. `start('Sending commands to org X', 2000)`; `total` may come later through `tick`. */
  start(label: string, total?: number): ProgressTask
}

/**
 * What a credential backend receives: the {@link PluginContext} of every contribution (its `configDir` is
 * the main config file's directory), plus a way to ask the person at the terminal for a secret.
 */
export interface CredentialBackendContext extends PluginContext {
  /**
   * Asks for a secret on the terminal without echoing it (e.g. a passphrase). Absent when ust runs
   * without a terminal (a service, CI, `--json`, `--stdin`): the backend then says what to set instead.
   */
  promptSecret?: (question: string) => Promise<string>
}
