import { constants, createHash, createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { ConfigError, CredentialError } from '@ust-sync/api'

/** A loaded certificate credential: what signs assertions. */
export interface CertificateKey {
  /** base64url SHA-256 thumbprint of the certificate (the `x5t#S256` header). */
  thumbprint: string
  sign(data: Buffer): Buffer
}

/** Reads the certificate and private key files (PEM); a wrong passphrase or a key of another kind is a clear error. */
export async function loadCertificate(
  certificateFile: string,
  privateKeyFile: string,
  passphrase?: string,
): Promise<CertificateKey> {
  let certificate: X509Certificate
  let pem: string
  try {
    certificate = new X509Certificate(await readFile(certificateFile))
    pem = await readFile(privateKeyFile, 'utf8')
  } catch (error) {
    throw new ConfigError(`connector-entra.yml: cannot read the certificate or key: ${(error as Error).message}`, {
      code: 'config.entra.certificate',
      suggestions: [
        'certificate_file and private_key_file must be readable PEM files (relative paths start at the connector file).',
      ],
    })
  }
  let key: ReturnType<typeof createPrivateKey>
  try {
    key = createPrivateKey(passphrase === undefined ? pem : { key: pem, passphrase })
  } catch {
    throw new CredentialError(`connector-entra.yml: the private key in ${privateKeyFile} cannot be opened`, {
      code: 'credential.entra.private-key',
      suggestions: ['Check private_key_pass (or secure_private_key_pass_key); an unencrypted key needs none.'],
    })
  }
  if (key.asymmetricKeyType !== 'rsa' || !certificate.checkPrivateKey(key))
    throw new ConfigError(`connector-entra.yml: ${privateKeyFile} is not the RSA private key of ${certificateFile}`, {
      code: 'config.entra.certificate',
      suggestions: [
        'Entra ID signs client assertions with RSA: give the key that belongs to the uploaded certificate.',
      ],
    })
  return {
    thumbprint: createHash('sha256').update(certificate.raw).digest('base64url'),
    sign: (data) => sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
  }
}

/**
 * A client assertion for the token request (graph-api.md §2): a JWT signed PS256 with `x5t#S256`,
 * `aud` the token URL, `iss` = `sub` = client id, valid 10 minutes.
 */
export function clientAssertion(key: CertificateKey, clientId: string, tokenUrl: string, nowMs: number): string {
  const now = Math.floor(nowMs / 1000)
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const header = part({ alg: 'PS256', typ: 'JWT', 'x5t#S256': key.thumbprint })
  const claims = part({
    aud: tokenUrl,
    iss: clientId,
    sub: clientId,
    jti: randomUUID(),
    nbf: now,
    iat: now,
    exp: now + 600,
  })
  const signature = key.sign(Buffer.from(`${header}.${claims}`)).toString('base64url')
  return `${header}.${claims}.${signature}`
}
