import { spawnSync } from 'node:child_process'

/** One question for Python's `re`, asked as UST asks it. */
export interface OracleCase {
  use: 'exclude_users' | 'user_filter' | 'additional_groups'
  pattern: string
  value: string
  /** For `additional_groups`: the replacement passed to `re.sub`. */
  template?: string
}

/** Python's answer: an error (the pattern does not compile, or Python took over 0.5 s), or whether it matched and (groups) the renamed value. */
export type OracleAnswer = { error: true } | { error: false; matched: boolean; sub?: string | null }

const SCRIPT = String.raw`
import json, re, signal, sys
class Slow(Exception): pass
def slow(*_): raise Slow()
signal.signal(signal.SIGALRM, slow)
out = []
for c in json.load(sys.stdin):
    # Python's backtracking can take exponential time (what ust avoids): such a case is skipped.
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        if c['use'] == 'additional_groups':
            r = re.compile(c['pattern'])
            m = r.match(c['value']) is not None
            # An empty match next to another match is where RE2 cannot follow sre (see pythonSub): not compared.
            spans = [x.span() for x in r.finditer(c['value'])]
            empty = any(a == b for a, b in spans)
            sub = r.sub(c['template'], c['value']) if m and not empty else None
            out.append({'error': False, 'matched': m, 'sub': sub})
            continue
        r = re.compile(r'\A' + c['pattern'] + r'\Z', re.UNICODE | re.IGNORECASE)
        m = r.match(c['value']) if c['use'] == 'exclude_users' else r.search(c['value'])
        out.append({'error': False, 'matched': m is not None})
    except (re.error, Slow):
        out.append({'error': True})
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
json.dump(out, sys.stdout)
`

/** Asks `python3` every case at once (one process per batch), exactly as UST 2.10 compiles and applies each. */
export function askPython(cases: readonly OracleCase[]): OracleAnswer[] {
  const run = spawnSync('python3', ['-c', SCRIPT], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    timeout: 60_000,
  })
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr || run.error?.message}`)
  return JSON.parse(run.stdout) as OracleAnswer[]
}
