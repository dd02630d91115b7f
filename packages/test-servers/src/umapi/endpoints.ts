/** UMAPI endpoints that have a per-client request limit (umapi.md §8.1). */
export type LimitedEndpoint = 'action' | 'users' | 'usersInGroup' | 'user' | 'groups'

/** Every kind of request the fake distinguishes; `unknown` is any path it does not serve. */
export type EndpointKind = LimitedEndpoint | 'token' | 'status' | 'unknown'
