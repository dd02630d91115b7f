import type { AdobeGroupRef } from '../config/types.js'

/** `--users`. */
export type UsersSelection =
  | { kind: 'all' }
  | { kind: 'mapped' }
  | { kind: 'file'; path: string }
  | { kind: 'group'; groups: string[] }

/** `--adobe-users`. */
export type AdobeUsersSelection = { kind: 'all' } | { kind: 'mapped' } | { kind: 'group'; groups: AdobeGroupRef[] }

/** `--adobe-only-user-action`. */
export type AdobeOnlyUserAction =
  | { kind: 'preserve' }
  | { kind: 'exclude' }
  | { kind: 'write-file'; path: string }
  | { kind: 'remove-adobe-groups' }
  | { kind: 'remove' }
  | { kind: 'delete' }

import type { UstPattern } from '../config/ust-pattern.js'

/** Resolved options of one `ust sync` run: built-in defaults < `invocation_defaults` < flags. */
export interface SyncOptions {
  testMode: boolean
  users: UsersSelection
  /** `--user-filter`, applied as UST does (`\A…\Z`, case-insensitive, `re.search`) to the username part of the user key. */
  userFilter?: UstPattern
  adobeUsers: AdobeUsersSelection
  adobeOnlyUserAction: AdobeOnlyUserAction
  /** `--adobe-only-user-list PATH`: no directory read; these users are the Adobe-only users. */
  adobeOnlyUserList?: string
  processGroups: boolean
  updateUserInfo: boolean
  strategy: 'sync' | 'push'
  /** `--connector ID [PATH]`. */
  connector: { id: string; path?: string }
  excludeUnmappedUsers: boolean
  /** `ssl_cert_verify` (config only). */
  sslCertVerify: boolean
  /**
   * `--allow-directory-drop`: act on Adobe-only users even when the directory returned no users, or far
   * fewer than at the last successful run (otherwise that is treated like the Adobe-only limit).
   */
  allowDirectoryDrop?: boolean
}
