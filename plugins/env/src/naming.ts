/** Prefix of every secret variable. */
export const PREFIX = 'UST_SECRET_'

/** Upper case, every run of characters other than A-Z and 0-9 becomes one `_`, no `_` at either end. */
export function normalise(name: string): string {
  return name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
}

/**
 * The variables that may hold the secret of (service, account), in the order they are read:
 * `UST_SECRET_<SERVICE>__<ACCOUNT>` (this account only), then `UST_SECRET_<SERVICE>` (any account).
 * E.g. service `ust-umapi`, account `4566@AdobeOrg` → `UST_SECRET_UST_UMAPI__4566_ADOBEORG`, `UST_SECRET_UST_UMAPI`.
 */
export function variableNames(service: string, account: string): [string, string] {
  const base = `${PREFIX}${normalise(service)}`
  return [`${base}__${normalise(account)}`, base]
}

/**
 * Name of the systemd credential file of `service` in `$CREDENTIALS_DIRECTORY` (`LoadCredential=` /
 * `LoadCredentialEncrypted=`): the service name itself, when it is a valid file name.
 */
export function systemdCredentialName(service: string): string | undefined {
  return service && !service.includes('/') && service !== '.' && service !== '..' ? service : undefined
}
