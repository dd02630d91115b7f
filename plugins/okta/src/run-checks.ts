import { type CheckResult, type Clock, isUstError } from '@ust-sync/api'
import type { OktaClient } from './okta-client.js'

/**
 * The checks of `ust net check` for Okta (after the core's DNS, TCP and TLS stages): the OAuth token when
 * the app authenticates with a key, then a one-user read (`okta.users.read`) and a one-group read
 * (`okta.groups.read`). Stops at the first failure, which carries what to do.
 */
export async function runChecks(client: OktaClient, clock: Clock): Promise<CheckResult[]> {
  const endpoint = client.options.origin
  const results: CheckResult[] = []
  const step = async (name: string, run: () => Promise<string>): Promise<boolean> => {
    const started = clock.now()
    try {
      const detail = await run()
      results.push({ name, endpoint, status: 'ok', detail, durationMs: clock.now() - started })
      return true
    } catch (error) {
      const suggestion = isUstError(error) ? error.suggestions[0] : undefined
      results.push({
        name,
        endpoint,
        status: 'fail',
        detail: error instanceof Error ? error.message : String(error),
        durationMs: clock.now() - started,
        ...(suggestion ? { suggestion } : {}),
      })
      return false
    }
  }
  if (
    client.auth.oauth &&
    !(await step('Okta OAuth token', async () => {
      await client.auth.headers('GET', `${endpoint}/api/v1/users`)
      return 'access token issued for okta.users.read okta.groups.read'
    }))
  )
    return results
  const authName = client.auth.oauth ? 'OAuth access token' : 'API token'
  if (
    !(await step('Okta users', async () => {
      await client.get('/api/v1/users?limit=1', 'GET /api/v1/users')
      return `${authName} accepted; users can be listed`
    }))
  )
    return results
  await step('Okta groups', async () => {
    await client.get('/api/v1/groups?limit=1', 'GET /api/v1/groups')
    return 'groups can be listed'
  })
  return results
}
