/**
 * Compiles a regular expression written for Python's `re` (as in UST configs) to a JavaScript RegExp:
 * `(?P<name>…)` → `(?<name>…)`, `(?P=name)` → `\k<name>`, `\A`/`\Z` → `^`/`$`, a leading `(?i)` → flag `i`.
 * With `fullMatch`, the expression must match the whole string (Python `re.fullmatch`).
 * Throws a SyntaxError with the engine's explanation when the expression is invalid.
 */
export function compilePythonRegex(
  source: string,
  options: { ignoreCase?: boolean; fullMatch?: boolean } = {},
): RegExp {
  let flags = options.ignoreCase ? 'i' : ''
  let body = source
  const inline = /^\(\?([aiLmsux]+)\)/.exec(body)
  if (inline) {
    body = body.slice(inline[0].length)
    if (inline[1]!.includes('i') && !flags.includes('i')) flags += 'i'
    if (inline[1]!.includes('s')) flags += 's'
    if (inline[1]!.includes('m')) flags += 'm'
  }
  body = body
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$')
  return new RegExp(options.fullMatch ? `^(?:${body})$` : body, flags)
}

/** The reason `source` does not compile, or undefined when it does. */
export function regexProblem(source: string): string | undefined {
  try {
    compilePythonRegex(source)
    return undefined
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: /, '')
  }
}
