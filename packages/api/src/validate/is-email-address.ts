/**
 * Whether `text` is an email address: one `@`, a local part without spaces, quotes, brackets or
 * separators (and no leading, trailing or double dot), and a domain of at least two dot-separated labels
 * of letters, digits and inner hyphens.
 */
export function isEmailAddress(text: string): boolean {
  const at = text.lastIndexOf('@')
  if (at <= 0 || at !== text.indexOf('@')) return false
  // Called for every directory user (twice): plain ASCII addresses are checked without a regex or a slice.
  const ascii = asciiVerdict(text, at)
  if (ascii !== undefined) return ascii
  const local = text.slice(0, at)
  const domain = text.slice(at + 1)
  if (!/^[^\s@"(),:;<>[\]\\]+$/u.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..'))
    return false
  return /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+$/u.test(domain)
}

const DOT = 0x2e
const HYPHEN = 0x2d

/** ASCII characters a local part may not hold: `\s`, `@`, `"`, `(`, `)`, `,`, `:`, `;`, `<`, `>`, `[`, `\`, `]`. */
const LOCAL_FORBIDDEN = new Uint8Array(128)
for (const c of '\t\n\v\f\r @"(),:;<>[\\]') LOCAL_FORBIDDEN[c.charCodeAt(0)] = 1

function isAsciiAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

/**
 * The same rules as the regular expressions of {@link isEmailAddress} for an all-ASCII address (the `@`
 * at `at`, the only one); undefined when a character is not ASCII (the regular expressions decide).
 */
function asciiVerdict(text: string, at: number): boolean | undefined {
  const local = asciiLocalVerdict(text, at)
  if (local === undefined) return undefined
  const domain = asciiDomainVerdict(text, at)
  if (domain === undefined) return undefined
  return local && domain
}

/** Whether the local part (before `at`) is valid, when it is all ASCII; else undefined. */
function asciiLocalVerdict(text: string, at: number): boolean | undefined {
  let ok = true
  let previous = DOT // a leading dot is refused like a double one
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0x80) return undefined
    if (LOCAL_FORBIDDEN[c] === 1 || (c === DOT && previous === DOT)) ok = false
    previous = c
  }
  return ok && previous !== DOT
}

/** Whether the domain (after `at`) is two or more valid labels, when it is all ASCII; else undefined. */
function asciiDomainVerdict(text: string, at: number): boolean | undefined {
  let ok = true
  let labels = 0
  let labelLength = 0
  let previous = DOT
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0x80) return undefined
    if (c === DOT) {
      // A label may not be empty nor end with a hyphen.
      if (labelLength === 0 || previous === HYPHEN) ok = false
      labels++
      labelLength = 0
    } else if (isAsciiAlnum(c)) labelLength++
    else if (c === HYPHEN) {
      if (labelLength === 0) ok = false // nor start with one
      labelLength++
    } else ok = false
    previous = c
  }
  if (labelLength === 0 || previous === HYPHEN) ok = false
  return ok && labels >= 1
}
