import { snippet } from './redact.js'

/** `38 s`, `2.5 s`, `0.2 s`: a duration for messages. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000
  return `${s >= 10 ? Math.round(s) : Math.round(s * 10) / 10} s`
}

/**
 * Words for a reply no JSON API gives, or undefined: a redirect (named by its target's origin only: a
 * `Location` may carry tokens) or a body that is not JSON (an HTML error or login page: its start is quoted,
 * so the caller must redact its secrets from the result).
 */
export function oddReply(reply: { status: number; headers: Headers; text: string }, json: unknown): string | undefined {
  if (reply.status >= 300 && reply.status < 400) {
    let where = 'another address'
    try {
      where = new URL(reply.headers.get('location') ?? '').origin
    } catch {
      // no usable Location
    }
    return `a redirect to ${where}, which this API never sends: the host is probably wrong, or a proxy's login page is in the way`
  }
  if (json === undefined && reply.text.trim() !== '')
    return `a reply that is not JSON (${reply.headers.get('content-type') ?? 'no content type'}): ${snippet(reply.text)}`
  return undefined
}
