import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

/** The flags and argument the `ust credentials` commands share, declared once. */

/** `--backend`: which credential backend answers (overrides UST_CREDENTIAL_BACKEND and credentials.backend). */
export const backendFlag = {
  backend: Flags.string({
    description: 'credential backend to use (overrides UST_CREDENTIAL_BACKEND and credentials.backend)',
  }),
}

/** `KEY`: the keyring service name, as written in `secure_X_key: KEY`. */
export const credentialKeyArgs = {
  key: Args.string({ description: 'service name, as written in secure_X_key: KEY', required: true }),
}

/** `--backend` and `-u/--username`: where one entry lives. */
export const credentialEntryFlags = {
  ...backendFlag,
  username: Flags.string({
    char: 'u',
    description: "account of the secret (UST's keyring username); default: the account the config uses for KEY",
  }),
}

/** The parsed flags every `ust credentials` command has (`--backend` and the shared config flags). */
interface CommonFlags {
  backend?: string | undefined
  config?: string | undefined
  'config-file-encoding'?: string | undefined
}

/** Backend and config location of a `ust credentials` command, from its parsed flags. */
export function locationOf(flags: CommonFlags) {
  return {
    backend: flags.backend,
    configFile: flags.config,
    encoding: flags['config-file-encoding'],
    cwd: process.cwd(),
  }
}

/** Which entry a `ust credentials` command addresses (KEY and `--username`), plus {@link locationOf}. */
export function entryOf(args: { key: string }, flags: CommonFlags & { username?: string | undefined }) {
  return { service: args.key, username: flags.username, ...locationOf(flags) }
}
