import { describe, expect, it } from 'vitest'
import { isUstError } from '@ust-sync/api'
import { type FilterableUser, matches } from '../src/filter/evaluate.js'
import { parseFilter } from '../src/filter/parse.js'
import { toOktaFilter } from '../src/filter/to-okta-filter.js'

const ana = {
  id: '00u1',
  status: 'ACTIVE',
  lastUpdated: '2024-03-01T10:00:00.000Z',
  profile: { email: 'ana@corp.test', countryCode: 'MX', department: 'R&D', empty: '', level: 3 },
}
const bo = { id: '00u2', status: 'SUSPENDED', profile: { email: 'bo@other.test', countryCode: 'US' } }
const check = (text: string, user: FilterableUser = ana) => matches(parseFilter(text), user)

describe('all_users_filter: a safe subset of the Python UST evaluated', () => {
  it('evaluates the expressions UST documents', () => {
    expect(check('user.status == "ACTIVE"')).toBe(true)
    expect(check('user.status == "ACTIVE"', bo)).toBe(false)
    expect(check("user.profile.countryCode == 'MX'")).toBe(true)
    expect(check('user.status == "ACTIVE" and user.profile.countryCode == "MX"')).toBe(true)
    expect(check('user.status == "ACTIVE" or user.profile.countryCode == "US"', bo)).toBe(true)
    expect(check('not user.status == "ACTIVE"', bo)).toBe(true)
    expect(check('user.status != "ACTIVE"')).toBe(false)
  })

  it('supports in, string methods, getattr/hasattr, len, comparisons and truthiness', () => {
    expect(check('user.status in ("ACTIVE", "PROVISIONED")')).toBe(true)
    expect(check('user.status not in ["ACTIVE"]', bo)).toBe(true)
    expect(check('"corp" in user.profile.email')).toBe(true)
    expect(check('user.profile.email.endswith("@corp.test")')).toBe(true)
    expect(check('user.profile.email.lower().startswith(("x", "ana"))')).toBe(true)
    expect(check('getattr(user.profile, "department", None) == "R&D"')).toBe(true)
    expect(check('getattr(user.profile, "department", "none") == "none"', bo)).toBe(true)
    expect(check('hasattr(user.profile, "department")', bo)).toBe(false)
    expect(check('len(user.profile.countryCode) == 2')).toBe(true)
    expect(check('user.profile.level >= 3 and user.profile.level < 4')).toBe(true)
    expect(check('user.lastUpdated > "2024-01-01"')).toBe(true)
    expect(check('user.profile.department')).toBe(true)
    expect(check('user.profile.empty')).toBe(false)
  })

  it('a missing profile attribute reads as None and never matches (UST stopped the whole run)', () => {
    expect(check('user.profile.department == "R&D"', bo)).toBe(false)
    expect(check('user.profile.department.startswith("R")', bo)).toBe(false)
    expect(check('user.profile.department > "A"', bo)).toBe(false)
  })

  it.each([
    ['__import__("os").system("id")', /"__import__" is not allowed/],
    ['user.__class__', /"__class__" is not allowed/],
    ['open("/etc/passwd")', /"open" is not supported/],
    ['user.status == "ACTIVE"; x', /unexpected ";"/],
    ['lambda', /"lambda" is not supported/],
    ['lambda: 1', /unexpected ":"/],
    ['user.profile.email.format(1)', /not a supported method/],
    ['user.credentials', /user.credentials is not a user field/],
    ['user', /not user itself/],
    ['user.status == ', /unexpected the end/],
    ['1 < user.profile.level < 5', /chained comparisons/],
    ['user.profile["email"]', /unexpected "\["|expected/],
    ['getattr(user, "status")', /user.profile only/],
    ['"unterminated', /unterminated string/],
  ])('refuses %s with a ConfigError naming the column', (text, problem) => {
    let error: unknown
    try {
      parseFilter(text)
    } catch (e) {
      error = e
    }
    expect(isUstError(error) && error.exitCode).toBe(2)
    expect((error as Error).message).toMatch(problem)
    expect((error as Error).message).toMatch(/at column \d+/)
    expect(isUstError(error) && error.suggestions[0]).toMatch(/user.status == "ACTIVE"/)
  })

  it("translates what Okta's filter can say, and only that", () => {
    const okta = (text: string) => toOktaFilter(parseFilter(text))
    expect(okta('user.status == "ACTIVE"')).toBe('status eq "ACTIVE"')
    expect(okta('"ACTIVE" == user.status or user.status == "PROVISIONED"')).toBe(
      '(status eq "ACTIVE") or (status eq "PROVISIONED")',
    )
    expect(okta('user.status == "ACTIVE" and user.profile.department == "R&D"')).toBe('status eq "ACTIVE"')
    expect(okta('user.profile.email == "a\\"b@x.test"')).toBe('profile.email eq "a\\"b@x.test"')
    expect(okta('user.status == "ACTIVE" or user.profile.department == "R&D"')).toBeUndefined()
    expect(okta('not user.status == "ACTIVE"')).toBeUndefined()
    expect(okta('user.status != "ACTIVE"')).toBeUndefined()
    expect(okta('user.profile.countryCode == "MX"')).toBeUndefined()
  })
})
