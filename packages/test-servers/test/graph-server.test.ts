import { afterEach, describe, expect, it } from 'vitest'
import { type FakeGraph, startFakeGraph } from '../src/index.js'

let graph: FakeGraph
afterEach(async () => graph?.close())

async function token(g: FakeGraph, fields: Record<string, string> = {}): Promise<Response> {
  return fetch(`${g.url}/${g.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: g.clientId,
      client_secret: g.clientSecret,
      scope: `${g.url}/.default`,
      grant_type: 'client_credentials',
      ...fields,
    }),
  })
}

async function bearer(g: FakeGraph): Promise<Record<string, string>> {
  const body = (await (await token(g)).json()) as { access_token: string }
  return { Authorization: `Bearer ${body.access_token}` }
}

describe('fake Graph: token endpoint', () => {
  it('issues client-credentials tokens and answers errors in Entra shape', async () => {
    graph = await startFakeGraph()
    const ok = await token(graph)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3599 })
    const wrong = await token(graph, { client_secret: 'nope' })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000215] })
    const scope = await token(graph, { scope: 'https://graph.microsoft.com/.default' })
    expect(await scope.json()).toMatchObject({ error: 'invalid_scope' })
    const tenant = await fetch(`${graph.url}/other/oauth2/v2.0/token`, { method: 'POST' })
    expect(await tenant.json()).toMatchObject({ error: 'invalid_request', error_codes: [90002] })
  })
})

describe('fake Graph: reads', () => {
  it('demands a bearer token and the application permission', async () => {
    graph = await startFakeGraph({ permissions: ['User.Read.All'] })
    const none = await fetch(`${graph.url}/v1.0/users`)
    expect(none.status).toBe(401)
    expect(await none.json()).toMatchObject({
      error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' },
    })
    const headers = await bearer(graph)
    expect((await fetch(`${graph.url}/v1.0/users`, { headers })).status).toBe(200)
    const groups = await fetch(`${graph.url}/v1.0/groups`, { headers })
    expect(groups.status).toBe(403)
    expect(await groups.json()).toMatchObject({
      error: { code: 'Authorization_RequestDenied', innerError: { 'request-id': expect.any(String) } },
    })
  })

  it('pages with $top (1–999) and an absolute @odata.nextLink; $select and $filter apply', async () => {
    graph = await startFakeGraph()
    for (let i = 0; i < 5; i++)
      graph.tenant.addUser({ userPrincipalName: `u${i}@x.test`, mail: `u${i}@x.test`, accountEnabled: i !== 2 })
    const headers = await bearer(graph)
    expect((await fetch(`${graph.url}/v1.0/users?$top=1000`, { headers })).status).toBe(400)
    let url: string | undefined = `${graph.url}/v1.0/users?$select=mail&$filter=accountEnabled%20eq%20true&$top=2`
    const mails: string[] = []
    while (url) {
      const body = (await (await fetch(url, { headers })).json()) as {
        value: { id: string; mail: string }[]
        '@odata.nextLink'?: string
      }
      for (const u of body.value) {
        expect(Object.keys(u).sort()).toEqual(['id', 'mail'])
        mails.push(u.mail)
      }
      url = body['@odata.nextLink']
    }
    expect(mails).toEqual(['u0@x.test', 'u1@x.test', 'u3@x.test', 'u4@x.test'])
  })

  it('needs ConsistencyLevel and $count=true for advanced filters; resolves nested groups in transitiveMembers', async () => {
    graph = await startFakeGraph()
    const a = graph.tenant.addUser({ userPrincipalName: 'a@x.test', usageLocation: 'US' })
    const b = graph.tenant.addUser({ userPrincipalName: 'b@x.test', usageLocation: 'GB' })
    const inner = graph.tenant.addGroup('Inner', [b.id])
    const outer = graph.tenant.addGroup('Outer', [a.id, inner.id])
    const headers = await bearer(graph)
    const ne = `${graph.url}/v1.0/users?$filter=${encodeURIComponent("usageLocation ne 'US'")}`
    expect(await (await fetch(ne, { headers })).json()).toMatchObject({ error: { code: 'Request_UnsupportedQuery' } })
    const advanced = (await (
      await fetch(`${ne}&$count=true`, { headers: { ...headers, ConsistencyLevel: 'eventual' } })
    ).json()) as {
      value: unknown[]
      '@odata.count': number
    }
    expect(advanced['@odata.count']).toBe(1)
    const members = (await (
      await fetch(
        `${graph.url}/v1.0/groups/${outer.id}/transitiveMembers/microsoft.graph.user?$select=userPrincipalName`,
        { headers },
      )
    ).json()) as { value: { userPrincipalName: string }[] }
    expect(members.value.map((m) => m.userPrincipalName)).toEqual(['a@x.test', 'b@x.test'])
    const byName = (await (
      await fetch(`${graph.url}/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'inner'")}`, { headers })
    ).json()) as { value: { id: string }[] }
    expect(byName.value.map((g) => g.id)).toEqual([inner.id])
  })

  it('throttles past the resource-unit budget with 429, Retry-After and x-ms-throttle headers', async () => {
    let now = 1_000_000
    graph = await startFakeGraph({ throttle: { resourceUnits: 4, windowMs: 10_000 }, now: () => now })
    const headers = await bearer(graph)
    for (let i = 0; i < 2; i++) expect((await fetch(`${graph.url}/v1.0/users`, { headers })).status).toBe(200)
    const limited = await fetch(`${graph.url}/v1.0/users`, { headers })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('10')
    expect(limited.headers.get('x-ms-throttle-information')).toBe('ResourceUnitLimitExceeded')
    expect(await limited.json()).toMatchObject({ error: { code: 'TooManyRequests' } })
    now += 10_001
    expect((await fetch(`${graph.url}/v1.0/users`, { headers })).status).toBe(200)
  })

  it('injects faults after N requests, and tells when requests were served', async () => {
    graph = await startFakeGraph()
    const headers = await bearer(graph)
    graph.faults.status(503, { endpoint: 'users', after: 1, retryAfter: 1.5 }).truncate({ endpoint: 'users' })
    expect((await fetch(`${graph.url}/v1.0/users`, { headers })).status).toBe(200)
    const unavailable = await fetch(`${graph.url}/v1.0/users`, { headers })
    expect([unavailable.status, unavailable.headers.get('retry-after')]).toEqual([503, '1.5'])
    const cut = await fetch(`${graph.url}/v1.0/users`, { headers })
    await expect(cut.json()).rejects.toThrow()
    await graph.served('users', 3)
    graph.faults.reset({ endpoint: 'users' })
    await expect(fetch(`${graph.url}/v1.0/users`, { headers })).rejects.toThrow()
  })
})
