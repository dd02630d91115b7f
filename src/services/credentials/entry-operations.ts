import { CredentialError } from '@ust-sync/api'
import type { CredentialAdmin, EntryAddress, EntryRequest } from './credential-admin.js'

/** Shown instead of a secret. */
export const MASK = '********'

/** Result of `ust credentials set`. */
export interface SetResult extends EntryAddress {
  /** Read back from the backend and equal to what was given. */
  stored: true
}

/** Result of `ust credentials get`: the value only with `--reveal`. */
export interface GetResult extends EntryAddress {
  present: true
  /** The secret with `--reveal`, else {@link MASK}. */
  value: string
  revealed: boolean
}

/** Result of `ust credentials delete`. */
export interface DeleteResult extends EntryAddress {
  deleted: true
}

function refuseReadOnly(address: EntryAddress, readOnly: boolean, action: string): void {
  if (readOnly)
    throw new CredentialError(
      `The credential backend "${address.backend}" is read-only: ust cannot ${action} secrets in it`,
      {
        suggestions: [
          'name a writable backend with --backend keyring|file, or provide the secret the way that backend reads it (see `ust info` and docs/admin/credentials.md)',
        ],
      },
    )
}

/**
 * Stores a secret (from stdin or a hidden prompt) under KEY and the account the config uses, then reads
 * it back and compares, so a backend that silently dropped it is caught.
 */
export async function setSecret(
  admin: CredentialAdmin,
  request: EntryRequest & { stdin: boolean },
): Promise<SetResult> {
  const { address, choice } = await admin.address(request)
  refuseReadOnly(address, choice.readOnly, 'store')
  const secret = await admin.secretInput(request.stdin, address)
  await choice.backend.set(address.service, address.account, secret)
  const back = await choice.backend.get(address.service, address.account)
  if (back !== secret)
    throw new CredentialError(
      `The credential backend "${address.backend}" did not return the secret just stored for service "${address.service}", account "${address.account}"`,
      { suggestions: ['check the backend (`ust info`); the entry may be incomplete: run the command again'] },
    )
  return { ...address, stored: true }
}

/** Reads a secret; masked unless `reveal`. A miss is a CredentialError saying how to create it. */
export async function getSecret(
  admin: CredentialAdmin,
  request: EntryRequest & { reveal: boolean },
): Promise<GetResult> {
  const { address, choice } = await admin.address(request)
  const secret = await choice.backend.get(address.service, address.account)
  if (secret === undefined) throw admin.missing(address, request.configFile)
  admin.redactor.add(secret)
  return { ...address, present: true, value: request.reveal ? secret : MASK, revealed: request.reveal }
}

/** Deletes a secret; a miss is a CredentialError (a mistyped KEY never "succeeds"). */
export async function deleteSecret(admin: CredentialAdmin, request: EntryRequest): Promise<DeleteResult> {
  const { address, choice } = await admin.address(request)
  refuseReadOnly(address, choice.readOnly, 'delete')
  if (!(await choice.backend.delete(address.service, address.account)))
    throw new CredentialError(
      `Nothing to delete: the credential backend "${address.backend}" has no secret for service "${address.service}", account "${address.account}"`,
      { suggestions: ['check KEY and --username (`ust credentials list` shows what the config uses)'] },
    )
  return { ...address, deleted: true }
}
