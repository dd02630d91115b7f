import { Args, Flags } from '@oclif/core'

/** Flags shared by every `ust credentials` command. */
export const credentialFlags = {
  config: Flags.string({
    char: 'c',
    aliases: ['config-filename'],
    description: 'main config file (default: searched from the current directory)',
  }),
  backend: Flags.string({
    description:
      'credential backend to use (overrides UST_CREDENTIAL_BACKEND and credentials.backend; default: keyring, else file)',
  }),
}

/** Flags of the commands addressing one secret. */
export const entryFlags = {
  ...credentialFlags,
  username: Flags.string({
    char: 'u',
    description: "account of the secret (UST's keyring username); default: the account the config uses for KEY",
  }),
}

/** KEY: the service name, as written in `secure_X_key: KEY`. */
export const keyArg = {
  key: Args.string({ description: 'the service name, as written in secure_X_key: KEY', required: true }),
}
