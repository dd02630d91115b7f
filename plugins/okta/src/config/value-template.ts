import { ConfigError } from '@ust-sync/api'

type Part = { text: string } | { field: string }

/**
 * A UST value template over an Okta user's profile, such as `{email}` or `{login}@example.com` (Python
 * `str.format` with profile attribute names as fields; `{{` and `}}` stand for literal braces). A field
 * whose value is missing or empty makes the whole value absent, as in UST.
 */
export class ValueTemplate {
  private constructor(
    private readonly parts: readonly Part[],
    /** Profile attribute names used, in order. */
    readonly fields: readonly string[],
  ) {}

  /** Parses the template in connector key `key`; a malformed one is a {@link ConfigError}. */
  static parse(source: string, key: string): ValueTemplate {
    const parts: Part[] = []
    const fields: string[] = []
    let text = ''
    const bad = (problem: string): never => {
      throw new ConfigError(`${key} in connector-okta.yml: ${problem} in "${source}"`, {
        code: 'config.okta.template',
        suggestions: [
          'Name Okta profile attributes in braces, e.g. "{email}" or "{login}"; write a literal brace twice ({{ or }}).',
        ],
      })
    }
    for (let i = 0; i < source.length; i++) {
      const c = source[i]
      if ((c === '{' || c === '}') && source[i + 1] === c) {
        text += c
        i++
      } else if (c === '}') bad(`a "}" without "{" at position ${i + 1}`)
      else if (c === '{') {
        const close = source.indexOf('}', i)
        if (close < 0) bad(`a "{" without "}" at position ${i + 1}`)
        const field = source.slice(i + 1, close).trim()
        if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(field)) bad(`"{${field}}" is not a profile attribute name`)
        if (text) parts.push({ text })
        text = ''
        parts.push({ field })
        if (!fields.includes(field)) fields.push(field)
        i = close
      } else text += c
    }
    if (text) parts.push({ text })
    return new ValueTemplate(parts, fields)
  }

  /** The value for a profile, or `missing`: the first field that has no value. */
  render(profile: Readonly<Record<string, unknown>>): { value?: string; missing?: string } {
    let out = ''
    for (const part of this.parts) {
      if ('text' in part) {
        out += part.text
        continue
      }
      const value = profileText(profile, part.field)
      if (value === undefined) return { missing: part.field }
      out += value
    }
    return { value: out }
  }
}

/**
 * A profile attribute as text, as UST reads it: empty strings, `null`, `false` and `0` count as absent;
 * a list gives its first value.
 */
export function profileText(profile: Readonly<Record<string, unknown>>, name: string): string | undefined {
  let value = profile[name]
  if (Array.isArray(value)) value = value[0]
  if (value === '' || value === null || value === undefined || value === false || value === 0) return undefined
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}
