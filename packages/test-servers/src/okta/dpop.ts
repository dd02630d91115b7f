import { createHash, createPublicKey, verify } from 'node:crypto'

/** What a DPoP proof must say. */
export interface ProofExpectation {
  htm: string
  htu: string
  /** The nonce the server handed out, when it requires one. */
  nonce?: string
  /** The access token the proof must be bound to (resource requests). */
  accessToken?: string
}

/** A checked proof: the key it was signed with (its JWK as JSON, to bind tokens), or what is wrong. */
export type ProofCheck = { key: string } | { problem: string; nonceMissing?: boolean }

const part = (text: string | undefined): Record<string, unknown> =>
  JSON.parse(Buffer.from(text ?? '', 'base64url').toString('utf8')) as Record<string, unknown>

/**
 * Checks a DPoP proof as Okta's DPoP guide describes: `typ: dpop+jwt`, the public `jwk` in the header and
 * a signature by it, `htm` / `htu` of the request, a recent `iat`, the server's nonce when required, and
 * `ath` = SHA-256 of the access token on resource requests.
 */
export function checkProof(proof: string | undefined, expected: ProofExpectation, nowMs: number): ProofCheck {
  if (!proof) return { problem: 'The DPoP proof JWT header is missing.' }
  const [h, c, s] = proof.split('.')
  let header: Record<string, unknown>
  let claims: Record<string, unknown>
  try {
    header = part(h)
    claims = part(c)
  } catch {
    return { problem: 'The DPoP proof is not a JWT.' }
  }
  if (header.typ !== 'dpop+jwt' || header.alg !== 'ES256' || typeof header.jwk !== 'object' || header.jwk === null)
    return { problem: 'The DPoP proof header is invalid (typ, alg or jwk).' }
  const key = createPublicKey({ key: header.jwk as import('node:crypto').JsonWebKey, format: 'jwk' })
  const signed = verify(
    'sha256',
    Buffer.from(`${h}.${c}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s ?? '', 'base64url'),
  )
  if (!signed) return { problem: 'The DPoP proof signature is invalid.' }
  if (claims.htm !== expected.htm || claims.htu !== expected.htu)
    return { problem: `The DPoP proof htm/htu do not match the request (${String(claims.htm)} ${String(claims.htu)}).` }
  if (typeof claims.iat !== 'number' || Math.abs(claims.iat - nowMs / 1000) > 300)
    return { problem: 'The DPoP proof iat is missing or not recent.' }
  if (expected.nonce !== undefined && claims.nonce !== expected.nonce)
    return { problem: 'Authorization server requires nonce in DPoP proof.', nonceMissing: true }
  if (expected.accessToken !== undefined) {
    const ath = createHash('sha256').update(expected.accessToken).digest('base64url')
    if (claims.ath !== ath) return { problem: 'The DPoP proof ath does not match the access token.' }
  }
  const { kty, crv, x, y } = header.jwk as Record<string, unknown>
  return { key: JSON.stringify({ kty, crv, x, y }) }
}
