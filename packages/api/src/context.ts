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
