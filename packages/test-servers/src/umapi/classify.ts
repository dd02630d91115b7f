import type { EndpointKind } from './types.js'

/** Where a request goes: endpoint kind, expected method, org id and the remaining decoded path parts. */
export interface Route {
  endpoint: EndpointKind
  /** Method the endpoint serves. */
  method: 'GET' | 'POST'
  /** Org id from the path (UMAPI endpoints). */
  orgId?: string
  /** Page path segment (paged GETs). */
  page?: string
  /** Group name (users in group) or user string (single user); `/` inside is kept (clients do not escape it). */
  name?: string
}

const UMAPI_PREFIX = '/v2/usermanagement/'

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** Maps a raw path (no query) to its route; `unknown` when the fake does not serve it. */
export function classify(rawPath: string): Route {
  if (/^\/ims\/token\/v[23]\/?$/.test(rawPath)) return { endpoint: 'token', method: 'POST' }
  if (rawPath === '/status') return { endpoint: 'status', method: 'GET' }
  if (!rawPath.startsWith(UMAPI_PREFIX)) return { endpoint: 'unknown', method: 'GET' }
  const parts = rawPath.slice(UMAPI_PREFIX.length).split('/').map(decode)
  if (parts.length > 1 && parts.at(-1) === '') parts.pop()
  const [kind, orgId, third, ...rest] = parts
  if (kind === 'users' && orgId && third !== undefined) {
    if (rest.length === 0) return { endpoint: 'users', method: 'GET', orgId, page: third }
    return { endpoint: 'usersInGroup', method: 'GET', orgId, page: third, name: rest.join('/') }
  }
  if (kind === 'organizations' && orgId && third === 'users' && rest.length > 0)
    return { endpoint: 'user', method: 'GET', orgId, name: rest.join('/') }
  if (kind === 'groups' && orgId && third !== undefined && rest.length === 0)
    return { endpoint: 'groups', method: 'GET', orgId, page: third }
  if (kind === 'action' && orgId && third === undefined) return { endpoint: 'action', method: 'POST', orgId }
  return { endpoint: 'unknown', method: 'GET' }
}
