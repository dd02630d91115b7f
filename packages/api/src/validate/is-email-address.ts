/**
 * Whether `text` is an email address: one `@`, a local part without spaces, quotes, brackets or
 * separators (and no leading, trailing or double dot), and a domain of at least two dot-separated labels
 * of letters, digits and inner hyphens.
 */
export function isEmailAddress(text: string): boolean {
  const at = text.lastIndexOf('@')
  if (at <= 0 || at !== text.indexOf('@')) return false
  const local = text.slice(0, at)
  const domain = text.slice(at + 1)
  if (!/^[^\s@"(),:;<>[\]\\]+$/u.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..'))
    return false
  return /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+$/u.test(domain)
}
