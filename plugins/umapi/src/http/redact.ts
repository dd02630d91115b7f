/** The forms a secret travels in: raw, URL-encoded, form-encoded, JSON-escaped and base64 (at any alignment). */
function forms(secret: string): string[] {
  const out = new Set([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
  ])
  const bytes = Buffer.from(secret, 'utf8')
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString('base64')
      .replace(/=+$/, '')
    const tail = (offset + bytes.length) % 3 === 0 ? 0 : 1
    const fragment = encoded.slice(offset === 0 ? 0 : offset + 1, encoded.length - tail)
    if (fragment.length >= 6) out.add(fragment).add(fragment.replaceAll('+', '-').replaceAll('/', '_'))
  }
  return [...out].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length)
}

/**
 * Replaces every occurrence of each secret (client secret, access tokens) in `text` with `***`, in each
 * form it can travel in (an IMS error page may echo the form body, URL-encoded). Applied to any
 * server-supplied text before it reaches a message, so an echoing server cannot leak them.
 */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text
  for (const secret of secrets)
    if (secret.length >= 4) for (const form of forms(secret)) out = out.split(form).join('***')
  return out
}

/** The first `max` characters of a response body, on one line, for error messages. */
export function snippet(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max)}…` : line
}
