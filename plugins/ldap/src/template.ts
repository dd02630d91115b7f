import { ConfigError } from '@ust-sync/api'

type Part = { literal: string } | { attribute: string }

/**
 * A UST value template such as `{givenName}` or `{sAMAccountName}@example.com` (Python `str.format` with
 * attribute names as fields; `{{` and `}}` are literal braces). Rendering follows UST's rules: the first
 * value of a multi-valued attribute is used, and a missing referenced attribute makes the whole value absent.
 */
export class ValueTemplate {
  private constructor(
    private readonly parts: Part[],
    /** Attribute names referenced, in order of appearance. */
    readonly attributes: string[],
  ) {}

  /** Parses `text` (the value of connector key `key`); a malformed template is a {@link ConfigError}. */
  static parse(text: string, key: string): ValueTemplate {
    const parts: Part[] = []
    const attributes: string[] = []
    let literal = ''
    let index = 0
    const fail = (problem: string): never => {
      throw new ConfigError(`${key} in connector-ldap.yml: ${problem} in "${text}"`, {
        code: 'config.ldap.template',
        suggestions: [
          'Write attribute names in braces, e.g. "{mail}" or "{sAMAccountName}@example.com"; double a literal brace ({{ or }}).',
        ],
      })
    }
    while (index < text.length) {
      const char = text[index]
      if ((char === '{' || char === '}') && text[index + 1] === char) {
        literal += char
        index += 2
        continue
      }
      if (char === '}') fail(`unmatched "}" at position ${index + 1}`)
      if (char !== '{') {
        literal += char
        index++
        continue
      }
      const end = text.indexOf('}', index)
      if (end < 0) fail(`unclosed "{" at position ${index + 1}`)
      const name = text.slice(index + 1, end).trim()
      if (!/^[A-Za-z][A-Za-z0-9-]*(;[A-Za-z0-9-]+)*$/.test(name)) fail(`"{${name}}" is not an attribute name`)
      if (literal) parts.push({ literal })
      literal = ''
      parts.push({ attribute: name })
      if (!attributes.some((known) => known.toLowerCase() === name.toLowerCase())) attributes.push(name)
      index = end + 1
    }
    if (literal) parts.push({ literal })
    return new ValueTemplate(parts, attributes)
  }

  /**
   * The value for one entry: `entry.first(name)` gives the first value of an attribute or undefined when
   * the entry lacks it. Returns the text, or `missing` naming the first absent attribute.
   */
  render(entry: { first(name: string): string | undefined }): { value?: string; missing?: string } {
    let out = ''
    for (const part of this.parts) {
      if ('literal' in part) {
        out += part.literal
        continue
      }
      const value = entry.first(part.attribute)
      if (value === undefined) return { missing: part.attribute }
      out += value
    }
    return { value: out }
  }
}
