import { ConfigError } from '@ust-sync/api'

type Part = { literal: string } | { attribute: string }

/**
 * A UST value template over Graph user properties, e.g. `{mail}`, `{givenName}` or
 * `{onPremisesSamAccountName}@example.com` (Python `str.format` fields; `{{` and `}}` are literal braces).
 * A multi-valued property (`otherMails`) gives its first value; a missing or null property makes the whole
 * value absent, as UST does for directory attributes.
 */
export class ValueTemplate {
  private constructor(
    private readonly parts: Part[],
    /** Property names referenced, in order of appearance. */
    readonly attributes: string[],
  ) {}

  /** Parses `text` (the value of connector key `key`); a malformed template is a {@link ConfigError}. */
  static parse(text: string, key: string): ValueTemplate {
    const parts: Part[] = []
    const attributes: string[] = []
    let literal = ''
    const fail = (problem: string): never => {
      throw new ConfigError(`${key} in connector-entra.yml: ${problem} in "${text}"`, {
        code: 'config.entra.template',
        suggestions: [
          'Write Graph property names in braces, e.g. "{mail}" or "{givenName}"; double a literal brace ({{ or }}).',
        ],
      })
    }
    for (let index = 0; index < text.length; index++) {
      const char = text[index]
      if ((char === '{' || char === '}') && text[index + 1] === char) {
        literal += char
        index++
      } else if (char === '}') fail(`unmatched "}" at position ${index + 1}`)
      else if (char !== '{') literal += char
      else {
        const end = text.indexOf('}', index)
        if (end < 0) fail(`unclosed "{" at position ${index + 1}`)
        const name = text.slice(index + 1, end).trim()
        if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) fail(`"{${name}}" is not a Graph property name`)
        if (literal) parts.push({ literal })
        literal = ''
        parts.push({ attribute: name })
        if (!attributes.includes(name)) attributes.push(name)
        index = end
      }
    }
    if (literal) parts.push({ literal })
    return new ValueTemplate(parts, attributes)
  }

  /** The value for one user (`first(name)`: the property's first value, undefined when absent or null). */
  render(first: (name: string) => string | undefined): { value?: string; missing?: string } {
    let out = ''
    for (const part of this.parts) {
      if ('literal' in part) {
        out += part.literal
        continue
      }
      const value = first(part.attribute)
      if (value === undefined) return { missing: part.attribute }
      out += value
    }
    return { value: out }
  }
}
