/**
 * Process exit codes used by every `ust` command. Stable: schedulers and scripts depend on them.
 */
export const ExitCode = {
  /** Everything asked for was done. */
  ok: 0,
  /** An unexpected internal error (a bug): please report it. */
  internal: 1,
  /** The configuration (files or flags) is invalid. */
  config: 2,
  /** A secret could not be read or written. */
  credential: 3,
  /** A network problem: DNS, TCP, proxy, TLS. */
  network: 4,
  /** A plugin could not be loaded or is misbehaving. */
  plugin: 5,
  /** The identity source could not be read completely; nothing was changed. */
  source: 6,
  /** The target could not be read or refused the whole run. */
  target: 7,
  /** The run completed but some commands failed. */
  partial: 8,
  /** A safety limit was exceeded; the affected actions were skipped. */
  limit: 9,
  /** Another sync holds the lock for this configuration. */
  locked: 10,
} as const

export type ExitCodeName = keyof typeof ExitCode
