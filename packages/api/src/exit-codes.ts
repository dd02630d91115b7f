/**
 * The exit-code catalogue of every `ust` command: exit code → name → whether a scheduler retries it → the
 * error `code` that carries it (when an error class does) → meaning. Stable: schedulers and scripts depend on it. The table of
 * docs/admin/exit-codes.md is this table (a test keeps them equal).
 */
export const EXIT_CODE_CATALOGUE = [
  { exitCode: 0, name: 'ok', retry: 'success', meaning: 'everything asked for was done' },
  {
    exitCode: 1,
    name: 'internal',
    retry: 'no',
    errorCode: 'internal',
    meaning: 'unexpected internal error (a bug: please report it)',
  },
  {
    exitCode: 2,
    name: 'config',
    retry: 'no',
    errorCode: 'config',
    errorClass: 'ConfigError',
    meaning: 'configuration error (files or flags); nothing was changed',
  },
  {
    exitCode: 3,
    name: 'credential',
    retry: 'no',
    errorCode: 'credential',
    errorClass: 'CredentialError',
    meaning: 'credential error (a secret could not be read)',
  },
  {
    exitCode: 4,
    name: 'network',
    retry: 'yes',
    errorCode: 'network',
    errorClass: 'NetworkError',
    meaning: 'network error',
  },
  { exitCode: 5, name: 'plugin', retry: 'no', errorCode: 'plugin', errorClass: 'PluginError', meaning: 'plugin error' },
  {
    exitCode: 6,
    name: 'source',
    retry: 'yes',
    errorCode: 'source',
    errorClass: 'SourceError',
    meaning: 'the identity source could not be read completely; nothing was changed',
  },
  {
    exitCode: 7,
    name: 'target',
    retry: 'yes',
    errorCode: 'target',
    errorClass: 'TargetError',
    meaning: 'the target could not be read, refused the run, or a saved plan no longer fits',
  },
  {
    exitCode: 8,
    name: 'partial',
    retry: 'no',
    meaning:
      'partial failure: not everything asked was done — a command failed at the target, or a change could not be planned (e.g. a user without a country, an invalid identity type); listed in the log and `--json`',
  },
  {
    exitCode: 9,
    name: 'limit',
    retry: 'no',
    meaning:
      'a safety limit stopped Adobe-only handling (`max_adobe_only_users`, a directory read empty or far smaller than last time, or a first run against an org acting on more than `first_run_removal_percent` of it); everything else was applied',
  },
  {
    exitCode: 10,
    name: 'locked',
    retry: 'success',
    errorCode: 'lock',
    errorClass: 'LockError',
    meaning: 'another sync holds the lock for this configuration',
  },
] as const

/** One row of {@link EXIT_CODE_CATALOGUE}. */
export interface ExitCodeEntry {
  exitCode: number
  name: string
  /** The `code` of the error class that exits with it; none for run results (`ok`, `partial`, `limit`). */
  errorCode?: string
  /** The {@link UstError} subclass that carries it. */
  errorClass?: string
  /** What a scheduler does with it; see {@link ExitCodeRetry}. */
  retry: ExitCodeRetry
  meaning: string
}

/**
 * What a scheduler does with an exit code: `yes`, retry (usually transient: the network, the directory or
 * the target); `no`, do not retry before a person acted (configuration, secret, plugin, a bug) or the next
 * scheduled run is the retry (a partial run converges, a safety limit needs a decision); `success`, treat as
 * success (done, or another run of the same configuration was already doing it).
 */
export type ExitCodeRetry = 'yes' | 'no' | 'success'

type Catalogue = typeof EXIT_CODE_CATALOGUE

export type ExitCodeName = Catalogue[number]['name']

/** The kinds of error: the first segment of every error code, one per {@link UstError} class (from the catalogue). */
export type ErrorKind = Extract<Catalogue[number], { errorCode: string }>['errorCode']

/**
 * An error's machine-readable code: its kind alone (`config`) or the kind and a detail (`config.unknown-key`,
 * `source.csv.field-count`). Scripts match on the kind, which is also the exit code's meaning.
 */
export type ErrorCode<K extends ErrorKind = ErrorKind> = K | `${K}.${string}`

/** Process exit codes by name (from {@link EXIT_CODE_CATALOGUE}). */
export const ExitCode = Object.fromEntries(EXIT_CODE_CATALOGUE.map((e) => [e.name, e.exitCode])) as {
  readonly [E in Catalogue[number] as E['name']]: E['exitCode']
}
