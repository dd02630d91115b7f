import type { FakeUmapi } from '../src/umapi/types.js'

/** Scope a UMAPI client asks IMS for. */
export const UMAPI_SCOPE = 'openid,AdobeID,user_management_sdk'

/** Answer of {@link call}: status, headers and parsed JSON body (undefined when empty). */
export interface CallResult {
  status: number
  headers: Headers
  /** Parsed JSON; `any` on purpose: tests read arbitrary response shapes. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  body: any
}

/** Fetches a token from the fake's IMS with its valid credentials (urlencoded body, /ims/token/v3). */
export async function fetchToken(fake: FakeUmapi): Promise<string> {
  const res = await fetch(`${fake.url}/ims/token/v3`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
      grant_type: 'client_credentials',
      scope: UMAPI_SCOPE,
    }),
  })
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { access_token: string }).access_token
}

/**
 * Calls a UMAPI path (relative to `/v2/usermanagement`, e.g. `/users/ORG/0`) with a valid token and API key
 * (test helper over global fetch). `json` is sent as the body with Content-Type application/json.
 */
export async function call(
  fake: FakeUmapi,
  token: string,
  path: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<CallResult> {
  const res = await fetch(`${fake.umapiUrl}${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: {
      Authorization: `Bearer ${token}`,
      'X-Api-Key': fake.clientId,
      'Content-Type': 'application/json',
      Accept: 'application/json',
      ...init.headers,
    },
    body: init.json === undefined ? null : JSON.stringify(init.json),
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
}
