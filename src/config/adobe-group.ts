import type { AdobeGroupRef } from './types.js'

/**
 * Parses UST's `org::Group` into a reference: `{target: 'org', name: 'Group'}`; unqualified names are the
 * primary org's. Both parts are trimmed.
 */
export function parseAdobeGroup(text: string): AdobeGroupRef {
  const at = text.indexOf('::')
  return at < 0
    ? { target: 'primary', name: text.trim() }
    : { target: text.slice(0, at).trim(), name: text.slice(at + 2).trim() }
}
