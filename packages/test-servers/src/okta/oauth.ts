import { createPublicKey, randomBytes, verify } from 'node:crypto'
import { checkProof } from './dpop.js'

/** An API Services app the fake's org authorization server knows. */
export interface FakeOktaApp {
  clientId: string
  /** The app's registered public key (PEM), matching the private key the client signs with. */
  publicKeyPem: string
  /** Scopes granted to the app; default okta.users.read and okta.groups.read. */
  scopes?: string[]
  /** "Require Demonstrating Proof of Possession (DPoP) header in token requests": tokens are DPoP-bound. */
  dpop?: boolean
}

/** An issued access token, and the DPoP key it is bound to. */
export interface Issued {
  scopes: Set<string>
  expires: number
  dpopKey?: string
}

/** The token endpoint's answer. */
export interface TokenAnswer {
  status: number
  body: Record<string, unknown>
  headers?: Record<string, string>
}

const b64json = (part: string | undefined): Record<string, unknown> =>
  JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>

/**
 * The fake org authorization server (`POST /oauth2/v1/token`): client credentials with a
 * `private_key_jwt` assertion, checked as Okta documents (signature with the app's key, `iss` = `sub` =
 * client id, `aud` = the token URL, `exp` at most an hour ahead, no `jti` replay, scopes granted).
 */
export class FakeAuthorizationServer {
  private readonly tokens = new Map<string, Issued>()
  private readonly jtis = new Set<string>()
  /** The nonce DPoP proofs of token requests must carry. */
  readonly nonce = `fake-nonce-${randomBytes(6).toString('hex')}`

  constructor(
    private readonly app: FakeOktaApp | undefined,
    private readonly now: () => number,
  ) {}

  /** A valid access token, or undefined. */
  issued(token: string): Issued | undefined {
    const issued = this.tokens.get(token)
    return issued && issued.expires > this.now() ? issued : undefined
  }

  /** Answers a token request (form fields, DPoP header) made to `tokenUrl`. */
  token(form: Record<string, string>, tokenUrl: string, dpop?: string): TokenAnswer {
    const fail = (error: string, description: string, status = 401): TokenAnswer => ({
      status,
      body: { error, error_description: description },
    })
    if (form.grant_type !== 'client_credentials')
      return fail('unsupported_grant_type', 'grant_type must be client_credentials', 400)
    if (
      form.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' ||
      !form.client_assertion
    )
      return fail('invalid_client', 'Client authentication failed: no client assertion')
    const app = this.app
    if (!app) return fail('invalid_client', 'No client credentials found.')
    const problem = this.assertionProblem(form.client_assertion, app, tokenUrl)
    if (problem) return fail('invalid_client', problem)
    const asked = (form.scope ?? '').split(' ').filter(Boolean)
    const granted = new Set(app.scopes ?? ['okta.users.read', 'okta.groups.read'])
    const missing = asked.filter((s) => !granted.has(s))
    if (asked.length === 0 || missing.length > 0)
      return fail('invalid_scope', `The following scopes are not granted: ${missing.join(' ') || '(none asked)'}`, 400)
    let dpopKey: string | undefined
    if (app.dpop) {
      const proof = checkProof(dpop, { htm: 'POST', htu: tokenUrl, nonce: this.nonce }, this.now())
      if ('problem' in proof)
        return {
          ...fail(proof.nonceMissing ? 'use_dpop_nonce' : 'invalid_dpop_proof', proof.problem, 400),
          ...(proof.nonceMissing ? { headers: { 'dpop-nonce': this.nonce } } : {}),
        }
      dpopKey = proof.key
    }
    const token = `fake-okta-access-${randomBytes(16).toString('hex')}`
    this.tokens.set(token, { scopes: new Set(asked), expires: this.now() + 3600_000, ...(dpopKey ? { dpopKey } : {}) })
    return {
      status: 200,
      body: { token_type: dpopKey ? 'DPoP' : 'Bearer', expires_in: 3600, access_token: token, scope: asked.join(' ') },
    }
  }

  private assertionProblem(jwt: string, app: FakeOktaApp, tokenUrl: string): string | undefined {
    const [h, c, s] = jwt.split('.')
    let header: Record<string, unknown>
    let claims: Record<string, unknown>
    try {
      header = b64json(h)
      claims = b64json(c)
    } catch {
      return 'The client_assertion is not a JWT.'
    }
    const hashes: Record<string, string> = { RS256: 'sha256', ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' }
    const hash = hashes[String(header.alg)]
    if (!hash) return `The client_assertion signature algorithm ${String(header.alg)} is not allowed.`
    const key = createPublicKey(app.publicKeyPem)
    const signed = verify(
      hash,
      Buffer.from(`${h}.${c}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(s ?? '', 'base64url'),
    )
    if (!signed) return 'The client_assertion signature is invalid.'
    if (claims.iss !== app.clientId || claims.sub !== app.clientId)
      return 'The client_assertion issuer or subject is not the client id.'
    if (claims.aud !== tokenUrl) return `The audience of the client_assertion must be ${tokenUrl}.`
    const now = this.now() / 1000
    if (typeof claims.exp !== 'number' || claims.exp <= now || claims.exp > now + 3600)
      return 'The client_assertion expiry is missing, past or more than an hour ahead.'
    if (typeof claims.jti === 'string') {
      if (this.jtis.has(claims.jti)) return 'The client_assertion token has already been used.'
      this.jtis.add(claims.jti)
    }
    return undefined
  }
}
