import { createPrivateKey, type KeyObject, randomUUID, sign } from 'node:crypto'
import { ConfigError } from '@ust-sync/api'

/** A loaded private key with the JWS algorithm it signs with and its key id. */
export interface SigningKey {
  key: KeyObject
  alg: 'RS256' | 'ES256' | 'ES384' | 'ES512'
  kid?: string
}

const EC_ALGS: Record<string, SigningKey['alg']> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' }

/** Loads a PEM or JWK (JSON) private key, as Okta's Admin Console hands them out. */
export function loadSigningKey(text: string, keyId?: string): SigningKey {
  let key: KeyObject
  let kid = keyId
  try {
    const trimmed = text.trim()
    if (trimmed.startsWith('{')) {
      const jwk = JSON.parse(trimmed) as { kid?: unknown }
      kid ??= typeof jwk.kid === 'string' ? jwk.kid : undefined
      key = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' })
    } else key = createPrivateKey(trimmed)
  } catch {
    throw new ConfigError('The Okta private key (private_key / private_key_file) is not a PEM or JWK private key', {
      code: 'config.okta.private-key',
      suggestions: ['Use the private key generated for the API Services app (PEM, or the JWK JSON Okta shows once).'],
    })
  }
  const type = key.asymmetricKeyType
  const alg = type === 'rsa' ? 'RS256' : type === 'ec' ? EC_ALGS[key.asymmetricKeyDetails?.namedCurve ?? ''] : undefined
  if (!alg)
    throw new ConfigError(
      `The Okta private key is a ${type ?? 'unknown'} key; Okta accepts RSA or EC (P-256/384/521) keys`,
      {
        code: 'config.okta.private-key',
        suggestions: ['Generate an RSA or EC key pair for the API Services app.'],
      },
    )
  return { key, alg, ...(kid ? { kid } : {}) }
}

const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url')

/**
 * A `private_key_jwt` client assertion for Okta's token endpoint: `iss` = `sub` = client id, `aud` = the
 * token URL, five minutes of validity, a fresh `jti`.
 */
export function clientAssertion(signing: SigningKey, clientId: string, tokenUrl: string, nowMs: number): string {
  const header = { alg: signing.alg, typ: 'JWT', ...(signing.kid ? { kid: signing.kid } : {}) }
  const iat = Math.floor(nowMs / 1000)
  const claims = { iss: clientId, sub: clientId, aud: tokenUrl, iat, exp: iat + 300, jti: randomUUID() }
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`
  const hash = `sha${signing.alg.slice(2)}`
  const signature = sign(hash, Buffer.from(input), { key: signing.key, dsaEncoding: 'ieee-p1363' })
  return `${input}.${b64url(signature)}`
}
