import { CredentialError } from '@ust-sync/api'

/** What to do when no OS keyring can be used (headless Linux). */
const START_KEYRING = [
  'on a desktop, log in to a graphical session (it starts and unlocks gnome-keyring or KWallet)',
  'on a server (cron, systemd: no desktop session) use the file or env backend: `credentials.backend: file` in the main config, or UST_CREDENTIAL_BACKEND=file (docs/scheduling)',
]

/** Why the OS keyring failed, recognised from @napi-rs/keyring's messages (they carry no distinct codes). */
interface Diagnosis {
  /** One sentence, without any secret. */
  reason: string
  suggestions: string[]
}

/** Classifies an error thrown by @napi-rs/keyring; the message of an unknown failure is kept. */
export function diagnose(error: unknown): Diagnosis {
  const message = error instanceof Error ? error.message : String(error)
  if (
    /DBUS_SESSION_BUS_ADDRESS|Failed to connect to address|Did not receive a reply|dbus-daemon|AccessDenied/i.test(
      message,
    )
  ) {
    return {
      reason: `No usable OS keyring (Secret Service over D-Bus): no D-Bus session or keyring daemon is reachable (${message.trim()})`,
      suggestions: START_KEYRING,
    }
  }
  if (/no result found/i.test(message)) {
    return {
      reason:
        'No usable OS keyring (Secret Service over D-Bus): the keyring daemon has no default (login) keyring to store into',
      suggestions: [
        'unlock gnome-keyring with a password once (`gnome-keyring-daemon --unlock`), which creates the login keyring',
        ...START_KEYRING.slice(1),
      ],
    }
  }
  if (/prompt was dismissed|IsLocked|locked/i.test(message)) {
    return {
      reason:
        'The OS keyring is locked and could not be unlocked (the unlock prompt was dismissed or no prompt can be shown)',
      suggestions: [
        'unlock the login keyring (log in to the desktop, or pipe its password to `gnome-keyring-daemon --unlock` when headless)',
        ...START_KEYRING.slice(1),
      ],
    }
  }
  return {
    reason: `The OS keyring failed: ${message.trim()}`,
    suggestions: [
      'check the keyring with `secret-tool search --all service <service>` (Linux) or the Keychain/Credential Manager',
    ],
  }
}

/**
 * A {@link CredentialError} for a failed keyring operation on (service, account). `secret`, when given, is
 * scrubbed from the underlying message in case the library ever echoes it.
 */
export function keyringError(
  action: string,
  service: string,
  account: string | undefined,
  error: unknown,
  secret?: string,
): CredentialError {
  const { reason, suggestions } = diagnose(error)
  const clean = secret ? reason.split(secret).join('***') : reason
  const what = account === undefined ? `service "${service}"` : `service "${service}", account "${account}"`
  return new CredentialError(`Could not ${action} (${what}): ${clean}`, { suggestions })
}
