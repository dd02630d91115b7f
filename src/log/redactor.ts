/**
 * Remembers every secret value the process has resolved and masks it in any text that is about to leave
 * the process (log lines, error messages, JSON output).
 */
export class Redactor {
  private readonly secrets = new Set<string>()

  /** Registers a secret value (values shorter than 4 characters are too ambiguous to mask and are ignored). */
  add(secret: string): void {
    if (secret.length >= 4) this.secrets.add(secret)
  }

  /** Replaces every known secret in `text` by `***`. */
  redact(text: string): string {
    let out = text
    for (const secret of this.secrets) out = out.split(secret).join('***')
    return out
  }
}
