import { type CheckResult, type Clock, isUstError } from '@ust-sync/api'
import type { GraphClient } from './graph-client.js'
import { graphUrl } from './odata.js'
import { redact } from './redact.js'

/** One check: runs `work`, reports ok with its detail, or fail with the error's message and first suggestion. */
async function step(
  name: string,
  endpoint: string,
  clock: Clock,
  secrets: () => string[],
  work: () => Promise<string>,
): Promise<CheckResult> {
  const started = clock.now()
  try {
    const detail = await work()
    return { name, endpoint, status: 'ok', detail, durationMs: clock.now() - started }
  } catch (error) {
    const suggestion = isUstError(error) ? error.suggestions[0] : undefined
    return {
      name,
      endpoint,
      status: 'fail',
      detail: redact(error instanceof Error ? error.message : String(error), secrets()),
      ...(suggestion ? { suggestion } : {}),
      durationMs: clock.now() - started,
    }
  }
}

/**
 * `ust net check` for the entra source: a token from Entra ID, then one user and one group from Graph
 * (which proves the User.Read.All and GroupMember.Read.All permissions). Stops at the first failure; never throws.
 */
export async function runChecks(client: GraphClient, clock: Clock): Promise<CheckResult[]> {
  const { settings } = client
  const secrets = () => client.tokens.secrets()
  const results: CheckResult[] = []
  const token = await step('Entra ID token', settings.tokenUrl, clock, secrets, async () => {
    await client.tokens.token()
    return `access token issued for client ${settings.clientId}`
  })
  results.push(token)
  if (token.status === 'fail') return results
  const users = await step('Graph users', `${settings.graphBase}/users`, clock, secrets, async () => {
    const body = await client.get(
      graphUrl(settings.graphBase, '/users', { $select: 'id', $top: '1' }),
      'GET users (1)',
      1,
      false,
    )
    return `users readable (User.Read.All)${Array.isArray(body.value) && body.value.length === 0 ? ', but the tenant has none' : ''}`
  })
  results.push(users)
  if (users.status === 'fail') return results
  results.push(
    await step('Graph groups', `${settings.graphBase}/groups`, clock, secrets, async () => {
      await client.get(
        graphUrl(settings.graphBase, '/groups', { $select: 'id', $top: '1' }),
        'GET groups (1)',
        1,
        false,
      )
      return 'groups readable (GroupMember.Read.All)'
    }),
  )
  return results
}
