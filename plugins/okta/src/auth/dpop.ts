import { createHash, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto'

const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url')

/** The `htu` of a DPoP proof: the URL without query and fragment, its path percent-decoded as Okta compares it. */
export function htuOf(url: string): string {
  const parsed = new URL(url)
  return `${parsed.origin}${decodeURI(parsed.pathname)}`
}

/**
 * A DPoP key (RFC 9449) for one run: an EC P-256 key pair made in memory, never stored. Each proof is a
 * `dpop+jwt` signed with it, carrying the public key, the method and URL, a fresh `jti`, the server's
 * nonce when it asked for one, and `ath` (the access token's SHA-256) on resource requests.
 */
export class DpopKey {
  private readonly privateKey: KeyObject
  private readonly jwk: Record<string, unknown>

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    this.privateKey = privateKey
    const { kty, crv, x, y } = publicKey.export({ format: 'jwk' })
    this.jwk = { kty, crv, x, y }
  }

  /** A proof for `method url`, at `nowMs`. */
  proof(method: string, url: string, nowMs: number, options: { nonce?: string; accessToken?: string } = {}): string {
    const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: this.jwk }
    const claims: Record<string, unknown> = {
      htm: method,
      htu: htuOf(url),
      iat: Math.floor(nowMs / 1000),
      jti: randomUUID(),
    }
    if (options.nonce) claims.nonce = options.nonce
    if (options.accessToken) claims.ath = createHash('sha256').update(options.accessToken).digest('base64url')
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`
    const signature = sign('sha256', Buffer.from(input), { key: this.privateKey, dsaEncoding: 'ieee-p1363' })
    return `${input}.${b64url(signature)}`
  }
}
