import { constants, createHash, randomBytes, verify, X509Certificate } from 'node:crypto'
import { type GraphReply, tokenError } from './graph-reply.js'

/** What the token endpoint checks. */
export interface TokenRules {
  tenantId: string
  clientId: string
  clientSecret: string
  /** The app's registered certificate (PEM): a `client_assertion` signed with its key is accepted. */
  certificatePem?: string
  /** Scope that must be asked: `<graph root>/.default`. */
  scope: string
  lifetimeSeconds: number
  now: () => number
}

const b64url = (buf: Buffer): string => buf.toString('base64url')

/** Checks a certificate `client_assertion` (graph-api.md §2): PS256 or RS256, thumbprint, signature, claims. */
function assertionProblem(jwt: string, rules: TokenRules, audience: string): string | undefined {
  if (!rules.certificatePem) return 'no certificate is registered for this application'
  const cert = new X509Certificate(rules.certificatePem)
  const [h, p, s] = jwt.split('.')
  if (!h || !p || !s) return 'the assertion is not a JWT'
  let header: Record<string, unknown>
  let claims: Record<string, unknown>
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>
  } catch {
    return 'the assertion is not a JWT'
  }
  const thumbS256 = b64url(createHash('sha256').update(cert.raw).digest())
  const thumbSha1 = b64url(createHash('sha1').update(cert.raw).digest())
  if (header['x5t#S256'] !== thumbS256 && header.x5t !== thumbSha1)
    return 'the certificate thumbprint is not registered'
  const data = Buffer.from(`${h}.${p}`)
  const signature = Buffer.from(s, 'base64url')
  const key = cert.publicKey
  const ok =
    header.alg === 'PS256'
      ? verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature)
      : header.alg === 'RS256'
        ? verify('sha256', data, key, signature)
        : false
  if (!ok) return 'the assertion signature is invalid'
  const now = rules.now() / 1000
  if (claims.aud !== audience) return `the assertion audience must be ${audience}`
  if (claims.iss !== rules.clientId || claims.sub !== rules.clientId) return 'iss and sub must be the client id'
  if (typeof claims.exp !== 'number' || claims.exp < now) return 'the assertion has expired'
  if (typeof claims.nbf === 'number' && claims.nbf > now + 300) return 'the assertion is not yet valid'
  return undefined
}

/**
 * The Entra ID token endpoint (`POST /{tenant}/oauth2/v2.0/token`, client credentials), and the tokens it
 * issued. Answers with Entra's error shapes: AADSTS90002 unknown tenant, AADSTS700016 unknown client,
 * AADSTS7000215 wrong secret (401 invalid_client), AADSTS70011 wrong scope.
 */
export class GraphTokens {
  private readonly tokens = new Map<string, number>()
  issued = 0

  constructor(private readonly rules: TokenRules) {}

  /** Answers a token request for `tenant` with form `fields` and the request's `authorization` header. */
  issue(
    tenant: string,
    fields: Record<string, string>,
    authorization: string | undefined,
    audience: string,
  ): GraphReply {
    const r = this.rules
    if (tenant.toLowerCase() !== r.tenantId.toLowerCase())
      return tokenError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`)
    let clientId = fields.client_id
    let secret = fields.client_secret
    const basic = /^Basic (.+)$/i.exec(authorization ?? '')
    if (basic?.[1]) {
      const [id, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':')
      clientId = decodeURIComponent(id ?? '')
      secret = decodeURIComponent(rest.join(':'))
    }
    if (fields.grant_type !== 'client_credentials')
      return tokenError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.')
    if (clientId !== r.clientId)
      return tokenError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory.`,
      )
    if (fields.scope !== r.scope)
      return tokenError(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid.`)
    if (fields.client_assertion !== undefined) {
      if (fields.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
        return tokenError(400, 'invalid_request', 900023, 'Invalid client_assertion_type.')
      const problem = assertionProblem(fields.client_assertion, r, audience)
      if (problem)
        return tokenError(401, 'invalid_client', 700027, `Client assertion failed signature validation: ${problem}.`)
    } else if (secret !== r.clientSecret) {
      return tokenError(
        401,
        'invalid_client',
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
      )
    }
    const token = b64url(randomBytes(32))
    this.tokens.set(token, r.now() + r.lifetimeSeconds * 1000)
    this.issued++
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: r.lifetimeSeconds,
        ext_expires_in: r.lifetimeSeconds,
        access_token: token,
      },
    }
  }

  /** `'ok'`, or why the bearer token in `authorization` is refused. */
  check(authorization: string | undefined): 'ok' | 'missing' | 'invalid' | 'expired' {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1]
    if (!token) return 'missing'
    const expires = this.tokens.get(token)
    if (expires === undefined) return 'invalid'
    return expires > this.rules.now() ? 'ok' : 'expired'
  }

  /** Makes every token issued so far expired. */
  expireAll(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0)
  }
}
