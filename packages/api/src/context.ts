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
 * Everything the core gives a plugin contribution when it creates it. A plugin never reaches into the
 * core: network settings (proxy, CA, TLS verification) are already applied process-wide, so the global
 * `fetch`, `node:https` and TLS sockets just work.
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
  /** Whether TLS certificates are verified (false only when the config says `ssl_cert_verify: false`). */
  tlsVerify: boolean
}
