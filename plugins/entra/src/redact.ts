/** The forms a secret travels in: raw, URL-encoded, form-encoded, JSON-escaped, base64 and base64url. */
function forms(secret: string): string[] {
  const b64 = Buffer.from(secret, 'utf8').toString('base64')
  return [
    ...new Set([
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
      b64,
      b64.replace(/=+$/, ''),
      Buffer.from(secret, 'utf8').toString('base64url'),
    ]),
  ]
    .filter((f) => f.length >= 4)
    .sort((a, b) => b.length - a.length)
}

/** `text` with every form of each secret (client secret, key passphrase, access tokens) replaced by `***`. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text
  for (const secret of secrets)
    if (secret.length >= 4) for (const form of forms(secret)) out = out.split(form).join('***')
  return out
}

/** The first `max` characters of a body on one line, for messages. */
export function snippet(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max)}…` : line
}

/** Seconds for messages: `1.5 s`, `2 min 5 s`. */
export function seconds(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 60)} min ${s % 60} s`
}
