/** Injection tokens for services that are interfaces or foreign objects (classes are their own tokens). */
export const Tokens = {
  /** The oclif `Config` of the running CLI. */
  OclifConfig: Symbol('OclifConfig'),
  /** The process `Logger` (@ust-sync/api context.ts). */
  Logger: Symbol('Logger'),
  /** `{level}`: the `--log-level` given on the command line, if any (else the config's `console_log_level` applies). */
  LogLevelFlag: Symbol('LogLevelFlag'),
  /** The `Clock` (@ust-sync/api context.ts). */
  Clock: Symbol('Clock'),
  /** The `Progress` shown on a terminal (@ust-sync/api context.ts). */
  Progress: Symbol('Progress'),
  /** `{configFile, cwd, encoding}`: where the command's main config file is (its `-c` and encoding flags). */
  ConfigLocation: Symbol('ConfigLocation'),
} as const
