import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { translatePythonRegex } from '../../src/config/python-regex.js'
import {
  alternationWarning,
  compileGroupPattern,
  compileUsernamePattern,
  patternProblem,
} from '../../src/config/ust-pattern.js'
import { askPython, type OracleCase } from './python-oracle.js'

const ATOMS = ['a', 'b', 's', 'S', 'V', 'c', '@', '\\.', '-', '1', '.', '[ab]', '[^a]', '[a-c]', '[.@]', '\\d', '\\w']
const MORE_ATOMS = ['\\s', '\\W', '\\D', '[\\w.]', '[\\d-]', '^', '$', '\\x61', '\\u0062', '[]a]', '\\@', '{', '}']
const QUANTIFIERS = ['', '', '', '*', '+', '?', '*?', '+?', '{1,2}', '{,2}', '{2}', '{2,}']

const { pattern } = fc.letrec<{ pattern: string; sequence: string; piece: string; atom: string }>((tie) => ({
  // Small enough that Python's backtracking answers quickly.
  pattern: fc.array(tie('sequence'), { minLength: 1, maxLength: 3 }).map((alts) => alts.join('|')),
  sequence: fc.array(tie('piece'), { minLength: 0, maxLength: 4 }).map((pieces) => pieces.join('')),
  piece: fc.tuple(tie('atom'), fc.constantFrom(...QUANTIFIERS)).map(([atom, q]) => atom + q),
  atom: fc.oneof(
    { maxDepth: 2, depthIdentifier: 'group', withCrossShrink: true },
    fc.constantFrom(...ATOMS),
    fc.constantFrom(...ATOMS, ...MORE_ATOMS),
    tie('pattern').map((p) => `(${p})`),
    tie('pattern').map((p) => `(?:${p})`),
  ),
}))
const CHARS = ['a', 'b', 's', 'v', 'c', 'S', 'V', 'A', '@', '.', '-', '1', '_', ' ', 'é', '\u212a', '\u00a0', '٣', '²']
const value = fc.array(fc.constantFrom(...CHARS), { maxLength: 8 }).map((cs) => cs.join(''))
const oracleCase: fc.Arbitrary<OracleCase> = fc.record({
  use: fc.constantFrom('exclude_users', 'user_filter', 'additional_groups'),
  pattern,
  value,
  template: fc.constantFrom('X\\g<0>Y', 'G-'),
})

function ustAnswer(c: OracleCase): { matched: boolean; sub?: string } {
  if (c.use === 'additional_groups') {
    const p = compileGroupPattern(c.pattern)
    const matched = p.test(c.value)
    return matched ? { matched, sub: p.sub(c.template!, c.value) } : { matched }
  }
  return { matched: compileUsernamePattern(c.pattern, c.use).test(c.value) }
}

const PATTERN_SEED =
  process.env.UST_PATTERN_SEED === 'random' ? Date.now() : Number(process.env.UST_PATTERN_SEED ?? 20261207)

describe('UST patterns against Python re (python3, one process per batch)', () => {
  it('match, search and sub give what Python gives for generated patterns and values', () => {
    fc.assert(
      fc.property(fc.array(oracleCase, { minLength: 300, maxLength: 300 }), (cases) => {
        const answers = askPython(cases)
        cases.forEach((c, i) => {
          const python = answers[i]!
          if (python.error) return // Python refuses it: nothing to compare
          const ust = ustAnswer(c)
          expect({ case: c, matched: ust.matched }).toEqual({ case: c, matched: python.matched })
          if (python.sub !== undefined && python.sub !== null)
            expect({ case: c, sub: ust.sub }).toEqual({ case: c, sub: python.sub })
        })
      }),
      // A fixed seed keeps CI deterministic; UST_PATTERN_SEED=random (or a number) explores further.
      { numRuns: 4, endOnFailure: true, seed: PATTERN_SEED },
    )
  })

  it('agrees with Python on the cases UST administrators write', () => {
    const cases: OracleCase[] = [
      { use: 'exclude_users', pattern: 'SVC|bot', value: 'svc-backup@corp.example' },
      { use: 'exclude_users', pattern: 'SVC|bot', value: 'bot' },
      { use: 'exclude_users', pattern: 'SVC|bot', value: 'robot' },
      { use: 'exclude_users', pattern: 'SVC|bot', value: 'bot@corp.example' },
      { use: 'exclude_users', pattern: '(SVC|bot)', value: 'svc-backup@corp.example' },
      { use: 'exclude_users', pattern: 'svc-.*@corp\\.example', value: 'SVC-Backup@Corp.Example' },
      { use: 'exclude_users', pattern: '(?P<local>[^@]+)@x', value: 'ann@x' },
      { use: 'user_filter', pattern: 'amy@x|ben@x', value: 'reuben@x' },
      { use: 'user_filter', pattern: 'amy@x|ben@x', value: 'amy@xyz' },
      { use: 'user_filter', pattern: 'a|b|c', value: 'xbx' },
      { use: 'user_filter', pattern: '.*@corp\\.example', value: 'ann@corp.example' },
      { use: 'user_filter', pattern: 'ann', value: 'ann@corp.example' },
      { use: 'additional_groups', pattern: 'ACL-(.+)', value: 'ACL-Sales', template: 'ACL-Grp-(\\1)' },
      { use: 'additional_groups', pattern: 'ACL-', value: 'ACL-Sales', template: 'Grp-' },
      { use: 'additional_groups', pattern: 'a', value: 'aXa', template: 'b' },
      { use: 'additional_groups', pattern: '(?P<team>\\w+)-Designers', value: 'Web-Designers', template: '\\g<team>' },
      { use: 'additional_groups', pattern: 'acl-(.+)', value: 'ACL-Sales', template: '\\1' },
    ]
    const answers = askPython(cases)
    expect(cases.map(ustAnswer)).toEqual(
      answers.map((a) => {
        if (a.error) throw new Error('fixture pattern must compile')
        return a.sub === null || a.sub === undefined ? { matched: a.matched } : { matched: a.matched, sub: a.sub }
      }),
    )
    // What the answers are, spelled out (so a broken oracle cannot pass silently).
    expect(answers.slice(0, 4).map((a) => !a.error && a.matched)).toEqual([true, true, false, false])
    expect(answers.slice(8, 10).map((a) => !a.error && a.matched)).toEqual([true, true])
  })
})

describe('bounded time', () => {
  it("--user-filter '(a+)+b' against 40 a's is answered (no catastrophic backtracking)", () => {
    const subject = 'a'.repeat(40)
    expect(compileUsernamePattern('(a+)+b', 'user_filter').test(subject)).toBe(false)
    expect(compileUsernamePattern('(a|aa)+$', 'exclude_users').test(`${subject}!`)).toBe(false)
    expect(compileGroupPattern('(x+x+)+y').test('x'.repeat(5000))).toBe(false)
  })
})

describe('Python syntax', () => {
  it('translates what RE2 spells differently', () => {
    expect(translatePythonRegex('\\Aab\\Z')).toEqual({ pattern: '\\Aab\\z', flags: 0 })
    expect(translatePythonRegex('a{,3}b{}').pattern).toBe('a{0,3}b\\{\\}')
    expect(translatePythonRegex('[[:x]').pattern).toBe('[\\[:x]')
    expect(translatePythonRegex('\\x41\\u00e9\\101').pattern).toBe('\\x{41}\\x{00e9}\\x{41}')
    expect(translatePythonRegex('x(?#note)y').pattern).toBe('xy')
  })

  it('refuses back-references and look-around with a reason, and reports what Python refuses', () => {
    expect(patternProblem('(?P<a>x)(?P=a)', 'exclude_users')).toMatch(
      /^back-reference \(\?P=name\) at position \d+ is not supported: ust runs patterns in linear time \(RE2\)/,
    )
    expect(patternProblem('(x)\\1', 'user_filter')).toMatch(/^back-reference \\1 at position 3 is not supported/)
    expect(patternProblem('a(?=b)', 'additional_groups')).toMatch(/^look-around at position 1 is not supported/)
    expect(patternProblem('\\q', 'additional_groups')).toBe('bad escape \\q at position 0')
    expect(patternProblem('a{1001}', 'additional_groups')).toBe(
      'repeat count 1001 at position 1 is above 1000, the most supported',
    )
    expect(patternProblem('(', 'exclude_users')).toMatch(/missing closing \)/)
    expect(patternProblem('a|b', 'exclude_users')).toBeUndefined()
  })
})

describe('alternationWarning', () => {
  it('names the pattern, what UST matches and the parenthesised form', () => {
    expect(alternationWarning('SVC|bot', 'exclude_users')).toBe(
      "exclude_users pattern 'SVC|bot' is applied as UST applies it (\\A + pattern + \\Z, no group): it matches usernames that start with 'SVC' or are 'bot' (ignoring case); if each alternative was meant as a whole username, write '(SVC|bot)'",
    )
    expect(alternationWarning('amy@x|ann|ben@x', 'user_filter')).toBe(
      "user_filter pattern 'amy@x|ann|ben@x' is applied as UST applies it (\\A + pattern + \\Z, no group): it matches usernames that start with 'amy@x', contain 'ann' or end with 'ben@x' (ignoring case); if each alternative was meant as a whole username, write '(amy@x|ann|ben@x)'",
    )
    expect(alternationWarning('(a|b)', 'exclude_users')).toBeUndefined()
    expect(alternationWarning('[|]x\\|y', 'exclude_users')).toBeUndefined()
  })
})
