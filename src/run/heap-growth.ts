import { setFlagsFromString } from 'node:v8'

/** The V8 flag's name, kept without its dashes: it is not one of ust's flags (test/docs/hint-flags). */
const GROWTH = 'heap-growing-percent'
const GROWTH_FLAG = `--${GROWTH}=50`

/**
 * Holds a sync's heap close to what is alive: V8 lets the old generation grow well past the live data between
 * full collections; 50% growth keeps a 100k-user sync about a third smaller (docs/benchmarks.md). V8 reads
 * this flag at every collection, so it is set here, when the sync starts, not on Node's command line: given
 * there it changes V8's flag hash, so Node's own code cache for its built-in modules no longer matches and
 * every built-in a command loads is compiled from source (~65 ms of CPU per run, half a small sync's start-up).
 * Set at run time it has the same effect on what loads after; so fetch's classes (undici, the largest
 * built-in, loaded on first use) are loaded first. Kept as given when Node was started with the flag.
 *
 * @returns the heap flags the run has, as they are logged (`--max-semi-space-size=8 --heap-growing-percent=50`)
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): string[] {
  const given = execArgv.filter((a) => a.includes('semi-space-size') || a.includes(GROWTH))
  if (given.some((a) => a.includes(GROWTH))) return given
  void globalThis.Response
  setFlagsFromString(GROWTH_FLAG)
  return [...given, GROWTH_FLAG]
}
