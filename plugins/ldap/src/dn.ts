/** Characters a DN value keeps escaped with a backslash (RFC 4514), whichever escape form the server used. */
const SPECIAL = ',+"\\<>;= #'

/**
 * A DN normalised for comparison: lower case, hex escapes of special characters in the `\,` form (a server
 * may return `cn=Smith\2C John` for a member listed as `cn=Smith\, John`), other hex escapes decoded, and
 * no spaces around separators.
 */
export function normaliseDn(dn: string): string {
  let out = dn.toLowerCase()
  if (out.includes('\\')) {
    out = out.replace(/\\([0-9a-f]{2})/g, (_all, hex: string) => {
      const char = String.fromCharCode(Number.parseInt(hex, 16))
      return SPECIAL.includes(char) ? `\\${char}` : char
    })
  }
  return out.includes(' ') ? out.trim().replace(/\s*([,=+])\s*/g, '$1') : out
}
