import { injectable } from 'tsyringe'
import { CredentialAdmin, type CredentialsRequest, type EntryRequest } from './credentials/credential-admin.js'
import {
  type DeleteResult,
  deleteSecret,
  type GetResult,
  getSecret,
  type SetResult,
  setSecret,
} from './credentials/entry-operations.js'
import { type ListResult, listReferences } from './credentials/list-references.js'
import { type MigrateResult, migrateSecrets } from './credentials/migrate.js'

export type { CredentialsRequest, DeleteResult, EntryRequest, GetResult, ListResult, MigrateResult, SetResult }

/** The `ust credentials` commands: set, get, delete, list and migrate (logic in src/credentials/). */
@injectable()
export class CredentialsCommandService {
  constructor(private readonly admin: CredentialAdmin) {}

  /** Stores a secret from stdin or a hidden prompt, and reads it back. */
  set(request: EntryRequest & { stdin: boolean }): Promise<SetResult> {
    return setSecret(this.admin, request)
  }

  /** Reads a secret, masked unless `reveal`. */
  get(request: EntryRequest & { reveal: boolean }): Promise<GetResult> {
    return getSecret(this.admin, request)
  }

  delete(request: EntryRequest): Promise<DeleteResult> {
    return deleteSecret(this.admin, request)
  }

  /** Every secret setting of the config files and whether its secret is present. */
  list(request: CredentialsRequest): Promise<ListResult> {
    return listReferences(this.admin, request)
  }

  /** Moves plain-text secrets into the backend and rewrites the files. */
  migrate(request: CredentialsRequest & { dryRun: boolean; now: Date }): Promise<MigrateResult> {
    return migrateSecrets(this.admin, request)
  }
}
