import { PAGE_SIZE } from '../../plugins/okta/src/directory-reader.js'
import { oktaOptionsFrom } from '../../plugins/okta/src/config/okta-options.js'
import { OktaSource } from '../../plugins/okta/src/okta-source.js'
import { type OktaEndpoint, startFakeOkta } from '@ust-sync/test-servers'
import type { SourceBench } from './types.js'

const quiet = () => undefined

/**
 * Okta: `users` users spread evenly over `groups` groups in the fake Okta (Okta's Workforce per-minute
 * limits, which the read must stay under); the read finds each group by name and pages its members, 200 a page. The fewest requests:
 * one lookup per group plus ⌈members / 200⌉ pages per group.
 */
export const oktaBench: SourceBench = {
  source: 'okta',
  async start(users, groups, ca) {
    const okta = await startFakeOkta({ tls: { key: ca.keyPem, cert: ca.certPem } })
    const names = Array.from({ length: groups }, (_, g) => `Group ${g}`)
    for (const name of names) okta.directory.addGroup(name)
    for (let n = 0; n < users; n++)
      okta.directory.addUser({
        profile: {
          login: `user${n}@bench.example`,
          email: `user${n}@bench.example`,
          firstName: 'User',
          lastName: `Number ${n}`,
          countryCode: 'US',
        },
        groups: [names[n % groups] ?? ''],
      })
    const pages = names.reduce((sum, name) => {
      const members = okta.directory.group(name)?.members.length ?? 0
      return sum + Math.max(1, Math.ceil(members / PAGE_SIZE))
    }, 0)
    return {
      setup: { host: okta.host, api_token: okta.token },
      minimumRequests: groups + pages,
      problems: () => {
        const out: string[] = []
        if (okta.limited() > 0) out.push(`${okta.limited()} requests were refused with 429`)
        for (const [bucket, limit] of Object.entries(okta.limits) as [OktaEndpoint, number][]) {
          const busiest = okta.busiestWindow(bucket)
          if (busiest > limit) out.push(`the ${bucket} bucket saw ${busiest} requests in one minute (limit ${limit})`)
        }
        return out
      },
      close: () => okta.close(),
    }
  },
  async read(setup, groups) {
    const source = new OktaSource(oktaOptionsFrom(setup), {
      logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
      clock: { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
      configDir: '.',
      dataDir: '.',
      userAgent: 'ust-bench',
      tlsVerify: true,
    })
    const names = Array.from({ length: groups }, (_, g) => `Group ${g}`)
    const { users } = await source.read({ groups: names, allUsers: false, extendedAttributes: [] })
    return {
      users: users.length,
      withGroups: users.filter((u) => u.groups.length > 0).length,
      requests: source.requests(),
    }
  },
}
