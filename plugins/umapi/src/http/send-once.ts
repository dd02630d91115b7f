import { NetworkError } from '@ust-sync/api'

/** An HTTP request as the UMAPI client sends it. */
export interface HttpRequest {
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  body?: string
}

/** A complete HTTP response (the body is read fully, so a reset mid-body counts as a transport failure). */
export interface HttpReply {
  status: number
  headers: Headers
  text: string
}

/** The request got no (complete) response: timeout, reset, refused, DNS. Always worth a retry. */
export class TransportFailure extends Error {
  constructor(
    /** Worded for the user, e.g. `timed out after 120 s`, `connection reset (ECONNRESET)`. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options)
    this.name = 'TransportFailure'
  }
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/** TLS verification failures: retrying cannot help, the user must trust the right CA. */
function isCertificateError(code: string | undefined): boolean {
  return (
    code !== undefined &&
    (/^(CERT_|UNABLE_TO_VERIFY_|UNABLE_TO_GET_ISSUER_CERT)/.test(code) ||
      /SELF_SIGNED/.test(code) ||
      code === 'ERR_TLS_CERT_ALTNAME_INVALID')
  )
}

function certificateError(url: string, code: string, cause: unknown): NetworkError {
  const { host } = new URL(url)
  return new NetworkError(`The TLS certificate of ${host} could not be verified (${code}); nothing was sent`, {
    code: 'network.tls-certificate',
    cause,
    suggestions: [
      'If a proxy or firewall inspects TLS, trust its root CA (NODE_EXTRA_CA_CERTS=/path/to/ca.pem)',
      'Check that server.host / server.auth_host name the right host',
    ],
  })
}

function describe(error: unknown): string {
  const code = causeCode(error)
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `connection reset (${code})`
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host name not found (${code})`
  if (code !== undefined) return `network error (${code})`
  return `network error (${error instanceof Error ? error.message : String(error)})`
}

/**
 * Sends one request with the global `fetch` (process-wide proxy/CA settings apply) and reads the whole body.
 * Throws {@link TransportFailure} when no complete response arrives within `timeoutMs` (retryable), and a
 * `NetworkError` when the server's TLS certificate cannot be verified (not retryable).
 */
export async function sendOnce(request: HttpRequest, timeoutMs: number): Promise<HttpReply> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
      redirect: 'manual',
    })
    const text = await response.text()
    return { status: response.status, headers: response.headers, text }
  } catch (error) {
    if (controller.signal.aborted)
      throw new TransportFailure(`timed out after ${formatSeconds(timeoutMs)}`, { cause: error })
    const code = causeCode(error)
    if (isCertificateError(code)) throw certificateError(request.url, code!, error)
    throw new TransportFailure(describe(error), { cause: error })
  } finally {
    clearTimeout(timer)
  }
}

/** `38 s`, `2.5 s`, `0.2 s`: a duration for messages. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000
  return `${s >= 10 ? Math.round(s) : Math.round(s * 10) / 10} s`
}
