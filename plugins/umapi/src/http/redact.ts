/**
 * Replaces every occurrence of each secret (client secret, access tokens) in `text` with `***`.
 * Applied to any server-supplied text before it reaches a message, so an echoing server cannot leak them.
 */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***')
  return out
}

/** The first `max` characters of a response body, on one line, for error messages. */
export function snippet(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max)}…` : line
}
