/**
 * `NO_PROXY` matching as Node's built-in proxy support does it (and curl, Python requests): entries are
 * separated by commas or spaces; `*` matches every host; an entry matches the host itself and its
 * sub-domains (`example.com` and `.example.com` both match `api.example.com`); `host:port` matches only
 * that port; an IP address matches exactly. Case-insensitive.
 */
export function splitNoProxy(value: string | readonly string[] | undefined): string[] {
  const parts = typeof value === 'string' ? value.split(/[\s,]+/) : (value ?? []).flatMap((v) => v.split(/[\s,]+/))
  return parts.map((p) => p.trim().toLowerCase()).filter((p) => p !== '')
}

/** The first `no_proxy` entry that excludes `host:port` from the proxy, or undefined. */
export function noProxyMatch(host: string, port: number, entries: readonly string[]): string | undefined {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '')
  for (const entry of entries) {
    if (entry === '*') return entry
    let pattern = entry
    let entryPort: number | undefined
    const withPort = /^(.*):(\d+)$/.exec(entry)
    if (withPort && !entry.includes('::')) {
      pattern = withPort[1]!
      entryPort = Number(withPort[2])
    }
    pattern = pattern.replace(/^\[|\]$/g, '').replace(/^\*?\./, '.')
    if (entryPort !== undefined && entryPort !== port) continue
    if (pattern.startsWith('.')) {
      if (name.endsWith(pattern) || name === pattern.slice(1)) return entry
    } else if (name === pattern || name.endsWith(`.${pattern}`)) return entry
  }
  return undefined
}
