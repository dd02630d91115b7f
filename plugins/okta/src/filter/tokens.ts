import { filterError } from './filter-error.js'

/** A lexical token of an `all_users_filter` expression, with its 1-based column. */
export type Token =
  | { kind: 'name'; text: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'op'; text: string; at: number }
  | { kind: 'end'; at: number }

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', ',', '.']
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' }

/** Reads a Python string literal starting at `start` (a quote); returns its value and the index after it. */
function readString(text: string, start: number): { value: string; next: number } {
  const quote = text[start]
  let value = ''
  let index = start + 1
  while (index < text.length && text[index] !== quote) {
    if (text[index] === '\\') {
      const escaped = ESCAPES[text[index + 1] ?? '']
      if (escaped === undefined) throw filterError(text, `unsupported escape "\\${text[index + 1] ?? ''}"`, index + 1)
      value += escaped
      index += 2
      continue
    }
    value += text[index]
    index++
  }
  if (index >= text.length) throw filterError(text, 'unterminated string', start + 1)
  return { value, next: index + 1 }
}

/** Splits an expression into tokens; anything outside the language (e.g. `;`, `__`, `lambda`) is refused. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let index = 0
  while (index < text.length) {
    const char = text[index] ?? ''
    const at = index + 1
    if (/\s/.test(char)) {
      index++
      continue
    }
    if (char === '"' || char === "'") {
      const { value, next } = readString(text, index)
      tokens.push({ kind: 'string', value, at })
      index = next
      continue
    }
    const number = /^-?\d+(\.\d+)?/.exec(text.slice(index))
    if (number && (char !== '-' || !/[\w)\]]$/.test(text.slice(0, index).trimEnd()))) {
      tokens.push({ kind: 'number', value: Number(number[0]), at })
      index += number[0].length
      continue
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(index))
    if (name) {
      if (name[0].startsWith('__')) throw filterError(text, `"${name[0]}" is not allowed`, at)
      tokens.push({ kind: 'name', text: name[0], at })
      index += name[0].length
      continue
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, index))
    if (!op) throw filterError(text, `unexpected "${char}"`, at)
    tokens.push({ kind: 'op', text: op, at })
    index += op.length
  }
  tokens.push({ kind: 'end', at: text.length + 1 })
  return tokens
}
