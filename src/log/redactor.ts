/**
 * Base64 fragments that appear wherever `secret` is embedded in a base64 text, whatever its byte offset
 * (0, 1 or 2 mod 3): the characters fully determined by the secret's own bytes, standard and URL-safe.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  const forms: string[] = []
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString('base64')
      .replace(/=+$/, '')
    const start = offset === 0 ? 0 : offset + 1
    const tail = (offset + bytes.length) % 3 === 0 ? 0 : 1
    const fragment = encoded.slice(start, encoded.length - tail)
    if (fragment.length >= 6) forms.push(fragment, fragment.replaceAll('+', '-').replaceAll('/', '_'))
  }
  return forms
}

/** The forms a secret travels in: raw, URL-encoded (path/query and form bodies), base64 (basic auth, tokens). */
export function secretForms(secret: string): string[] {
  const forms = new Set([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    ...base64Forms(secret),
  ])
  return [...forms].filter((f) => f.length >= 4)
}

/**
 * Remembers every secret value the process has resolved and masks it in any text that is about to leave
 * the process (log lines, error messages, JSON output): raw, URL-encoded, form-encoded, JSON-escaped and
 * base64 at any alignment, plus the base64 `user:password` of HTTP basic authentication.
 */
export class Redactor {
  private readonly forms = new Set<string>()

  /** Registers a secret value (values shorter than 4 characters are too ambiguous to mask and are ignored). */
  add(secret: string): void {
    if (secret.length < 4) return
    for (const form of secretForms(secret)) this.forms.add(form)
  }

  /** Registers a basic-auth pair: the password in all its forms, and `base64(user:password)`. */
  addBasicAuth(user: string, password: string): void {
    this.add(password)
    this.forms.add(Buffer.from(`${user}:${password}`, 'utf8').toString('base64'))
    this.forms.add(`${encodeURIComponent(user)}:${encodeURIComponent(password)}`)
  }

  /** Replaces every known secret form in `text` by `***` (longest forms first). */
  redact(text: string): string {
    let out = text
    for (const form of [...this.forms].sort((a, b) => b.length - a.length)) out = out.split(form).join('***')
    return out
  }
}
