import { type Clock, CredentialError, SourceError } from '@ust-sync/api'
import { type CertificateKey, clientAssertion, loadCertificate } from './client-assertion.js'
import type { EntraSettings } from './entra-settings.js'
import type { HttpReply, HttpRequest } from './graph-http.js'
import { redact, snippet } from './redact.js'

/** Token endpoint `error` values that mean the app's credential or registration is wrong (not worth retrying). */
const REFUSALS = new Set([
  'invalid_client',
  'unauthorized_client',
  'invalid_scope',
  'invalid_request',
  'unsupported_grant_type',
])

interface Issued {
  accessToken: string
  refreshAt: number
}

/** What the token endpoint said, as JSON when it is. */
function parse(text: string): Record<string, unknown> | undefined {
  try {
    const json = JSON.parse(text) as unknown
    return typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** The first line of Entra's `error_description` (its AADSTS code and sentence, without trace ids). */
function reasonOf(body: Record<string, unknown> | undefined, text: string): string {
  if (typeof body?.error !== 'string') return snippet(text) || 'no details'
  const description =
    typeof body.error_description === 'string' ? body.error_description.split(/\r?\n| Trace ID:/)[0] : ''
  return `${body.error}${description ? ` (${description})` : ''}`
}

/**
 * Client-credentials tokens for Microsoft Graph from the Microsoft identity platform (graph-api.md §2):
 * secret or certificate assertion, scope `{graph root}/.default`, cached and replaced 5 minutes before
 * expiry, dropped after a 401. A refused credential is a `CredentialError` (exit 3) saying what to check.
 */
export class TokenProvider {
  private current: Issued | undefined
  private pending: Promise<Issued> | undefined
  private key: Promise<CertificateKey> | undefined
  /** Tokens issued so far (for redaction). */
  readonly issued = new Set<string>()

  constructor(
    private readonly settings: EntraSettings,
    private readonly clock: Clock,
    private readonly send: (what: string, request: HttpRequest) => Promise<HttpReply>,
    private readonly userAgent: string,
  ) {}

  async token(): Promise<string> {
    if (this.current && this.clock.now() < this.current.refreshAt) return this.current.accessToken
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined
    })
    this.current = await this.pending
    return this.current.accessToken
  }

  invalidate(token: string): void {
    if (this.current?.accessToken === token) this.current = undefined
  }

  /** The secrets a message must never show. */
  secrets(): string[] {
    const { credential } = this.settings
    const own =
      credential.kind === 'secret' ? [credential.secret] : credential.passphrase ? [credential.passphrase] : []
    return [...own, ...this.issued]
  }

  private async form(): Promise<URLSearchParams> {
    const { credential, clientId, tokenUrl, graphRoot } = this.settings
    const form = new URLSearchParams({
      client_id: clientId,
      scope: `${graphRoot}/.default`,
      grant_type: 'client_credentials',
    })
    if (credential.kind === 'secret') form.set('client_secret', credential.secret)
    else {
      this.key ??= loadCertificate(credential.certificateFile, credential.privateKeyFile, credential.passphrase)
      form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
      form.set('client_assertion', clientAssertion(await this.key, clientId, tokenUrl, this.clock.now()))
    }
    return form
  }

  /** Requests a new token. */
  async fetch(): Promise<Issued> {
    const { tokenUrl, clientId, tenantId } = this.settings
    const requestedAt = this.clock.now()
    const reply = await this.send(`POST ${tokenUrl}`, {
      method: 'POST',
      url: tokenUrl,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
        'User-Agent': this.userAgent,
      },
      body: (await this.form()).toString(),
    })
    const body = parse(reply.text)
    if (reply.status === 200 && typeof body?.access_token === 'string') {
      const lifetime = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3599) * 1000
      this.issued.add(body.access_token)
      return { accessToken: body.access_token, refreshAt: requestedAt + lifetime - Math.min(300_000, lifetime / 10) }
    }
    const reason = redact(reasonOf(body, reply.text), this.secrets())
    if (typeof body?.error === 'string' && REFUSALS.has(body.error)) {
      const what =
        this.settings.credential.kind === 'secret'
          ? 'client_secret (or secure_client_secret_key)'
          : 'certificate_file and private_key_file'
      throw new CredentialError(
        `Entra ID at ${tokenUrl} refused the credentials of client ${clientId}: HTTP ${reply.status} ${reason}`,
        {
          code: 'credential.entra.refused',
          suggestions: [
            `Check tenant_id (${tenantId}), client_id (${clientId}) and ${what} in connector-entra.yml against the app registration (Entra admin center → App registrations → Certificates & secrets); an expired secret must be replaced.`,
            'Store a new secret with `ust credentials set` and refer to it with secure_client_secret_key.',
          ],
        },
      )
    }
    throw new SourceError(
      `Entra ID at ${tokenUrl} did not issue a token for client ${clientId}: HTTP ${reply.status} ${reason}`,
      {
        code: 'source.entra.token',
        suggestions: [
          'Check authority_host in connector-entra.yml and, behind a proxy, that it lets ust through; run `ust net check`.',
        ],
      },
    )
  }
}
