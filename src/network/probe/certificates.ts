import { X509Certificate } from 'node:crypto'
import { getCACertificates, type DetailedPeerCertificate, type PeerCertificate } from 'node:tls'
import type { CertificateInfo } from './types.js'

function name(fields: PeerCertificate['subject'] | undefined): string {
  if (!fields) return '?'
  const f = fields as unknown as Record<string, string | string[] | undefined>
  const pick = (k: string) => (Array.isArray(f[k]) ? (f[k] as string[]).join('+') : f[k])
  return pick('CN') ?? pick('O') ?? pick('OU') ?? JSON.stringify(fields)
}

/** The presented chain, leaf first, as `getPeerCertificate(true)` links it (stops at a self-signed root). */
export function chainOf(leaf: DetailedPeerCertificate): CertificateInfo[] {
  const chain: CertificateInfo[] = []
  const seen = new Set<string>()
  let cert: DetailedPeerCertificate | undefined = leaf
  while (cert && Object.keys(cert).length > 0 && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256)
    chain.push({
      subject: name(cert.subject),
      issuer: name(cert.issuer),
      validFrom: cert.valid_from,
      validTo: cert.valid_to,
      ...(cert.subjectaltname ? { altNames: cert.subjectaltname } : {}),
    })
    cert = cert.issuerCertificate
  }
  return chain
}

let publicRoots: X509Certificate[] | undefined

/**
 * Whether the last certificate of the presented chain is, or was issued by, a CA of Node's bundled
 * Mozilla store: a chain that does not end there is signed by a private CA, which on the way to a public
 * service means a TLS-inspecting proxy or firewall.
 */
export function endsAtPublicRoot(leaf: DetailedPeerCertificate): boolean {
  publicRoots ??= getCACertificates('bundled').map((pem) => new X509Certificate(pem))
  let last: DetailedPeerCertificate = leaf
  const seen = new Set<string>()
  while (last.issuerCertificate && !seen.has(last.fingerprint256) && last.issuerCertificate !== last) {
    seen.add(last.fingerprint256)
    if (last.issuerCertificate.fingerprint256 === last.fingerprint256) break
    last = last.issuerCertificate
  }
  if (!last.raw) return false
  const top = new X509Certificate(last.raw)
  return publicRoots.some((root) => root.fingerprint256 === top.fingerprint256 || top.checkIssued(root))
}

/** `DNS:a.example, IP Address:1.2.3.4` → `a.example, 1.2.3.4`; the subject CN when there are none. */
export function namesOf(cert: CertificateInfo | undefined): string {
  if (!cert) return ''
  if (cert.altNames)
    return cert.altNames
      .split(/,\s*/)
      .map((n) => n.replace(/^(DNS|IP Address):/, ''))
      .join(', ')
  return cert.subject
}
