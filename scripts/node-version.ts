/** `24.21.0` → [24, 21, 0] (pre-releases are never chosen: they do not parse). */
function parse(version: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version)
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined
}

function compare(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
}

/** Which Node a platform's build carries, and why when it is not the one wanted. */
export interface NodeChoice {
  version: string
  note?: string
}

/**
 * The Node version for a build, from those the registry has for that platform: `wanted` (the version this
 * repository develops on) when there; else the newest of the same major at or above `minimum` (the
 * `engines.node` floor); else the newest of a later major at or above it. Throws when none qualifies.
 */
export function chooseNodeVersion(
  available: readonly string[],
  wanted: string,
  minimum: string,
  pkg: string,
): NodeChoice {
  if (available.includes(wanted)) return { version: wanted }
  const floor = parse(minimum)!
  const want = parse(wanted)!
  const usable = available
    .map((v) => ({ v, p: parse(v) }))
    .filter((x): x is { v: string; p: [number, number, number] } => x.p !== undefined && compare(x.p, floor) >= 0)
    .sort((a, b) => compare(b.p, a.p))
  const pick = usable.find((x) => x.p[0] === want[0]) ?? usable.find((x) => x.p[0] > want[0])
  if (!pick)
    throw new Error(
      `The registry has no Node ${wanted} for ${pkg}, nor any version from ${minimum} on (it has: ${available.slice(-5).join(', ') || 'none'}).`,
    )
  return {
    version: pick.v,
    note: `Node ${pick.v}: the registry has no ${wanted} for this platform (${pkg}); ${pick.v} is the newest it has from ${minimum} on.`,
  }
}
