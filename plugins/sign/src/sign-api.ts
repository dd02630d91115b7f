import { TargetError } from '@ust-sync/api'
import { SignApiError, type SignHttp } from './http/sign-http.js'

/** `UserInfo` of `GET /users`. */
export interface SignUserInfo {
  id: string
  email: string
  firstName?: string
  lastName?: string
  isAccountAdmin: boolean
}

/** `DetailedUserInfo` of `GET /users/{id}` (fields ust reads). */
export interface SignUserDetail extends SignUserInfo {
  status: string
  [key: string]: unknown
}

/** `UserGroupInfo` of `GET /users/{id}/groups`. */
export interface SignUserGroup {
  id: string
  name?: string
  isGroupAdmin: boolean
  isPrimaryGroup: boolean
  status?: string
  [key: string]: unknown
}

/** `GroupInfo` of `GET /groups`. */
export interface SignGroupInfo {
  groupId: string
  groupName: string
  isDefaultGroup?: boolean
}

/** Page size asked for: UST's 1000 (the largest the API is known to accept). */
const PAGE_SIZE = 1000

/**
 * The Acrobat Sign REST v6 calls ust makes. The API root is discovered once per run through
 * `GET https://<host>/api/rest/v6/baseUris` (`apiAccessPoint` + `api/rest/v6/`), as the API requires.
 */
export class SignApi {
  private root: Promise<string> | undefined

  constructor(
    private readonly http: SignHttp,
    private readonly entryUrl: string,
  ) {}

  /** The account's API root (regional access point), discovered on first use. */
  apiRoot(): Promise<string> {
    this.root ??= this.http
      .send<{ apiAccessPoint?: unknown }>({ method: 'GET', url: `${this.entryUrl}/api/rest/v6/baseUris` })
      .then((info) => {
        if (typeof info?.apiAccessPoint !== 'string' || !/^https?:\/\//.test(info.apiAccessPoint))
          throw new TargetError(`Acrobat Sign's baseUris answer has no apiAccessPoint (${this.entryUrl})`, {
            code: 'target.sign.base-uri',
          })
        return `${info.apiAccessPoint.replace(/\/?$/, '/')}api/rest/v6/`
      })
    this.root.catch(() => {
      this.root = undefined
    })
    return this.root
  }

  private async url(path: string): Promise<string> {
    return `${await this.apiRoot()}${path}`
  }

  /**
   * One call on the account's access point. `INVALID_API_ACCESS_POINT` (the account moved, or the cached
   * access point is stale) discovers the access point again and sends the call once more, as Adobe asks.
   */
  private async call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    const send = async () =>
      this.http.send<T>({ method, url: await this.url(path), ...(body === undefined ? {} : { body }) })
    try {
      return await send()
    } catch (error) {
      if (!(error instanceof SignApiError && error.signCode === 'INVALID_API_ACCESS_POINT')) throw error
      this.root = undefined
      return send()
    }
  }

  /** Every item of a cursor-paged list. */
  private async paged<T>(path: string, key: string): Promise<T[]> {
    const items: T[] = []
    let cursor: string | undefined
    do {
      const query = `pageSize=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
      const page = await this.call<Record<string, unknown>>('GET', `${path}?${query}`)
      const list = page?.[key]
      if (!Array.isArray(list))
        throw new TargetError(`Acrobat Sign's ${path} answer has no ${key}`, { code: 'target.sign.bad-reply' })
      for (const item of list) items.push(item as T)
      const next = (page.page as { nextCursor?: unknown } | undefined)?.nextCursor
      cursor = typeof next === 'string' && next !== '' ? next : undefined
    } while (cursor)
    return items
  }

  listUsers(): Promise<SignUserInfo[]> {
    return this.paged('users', 'userInfoList')
  }

  listGroups(): Promise<SignGroupInfo[]> {
    return this.paged('groups', 'groupInfoList')
  }

  user(id: string): Promise<SignUserDetail> {
    return this.call('GET', `users/${encodeURIComponent(id)}`)
  }

  async userGroups(id: string): Promise<SignUserGroup[]> {
    const body = await this.call<{ groupInfoList?: SignUserGroup[] }>('GET', `users/${encodeURIComponent(id)}/groups`)
    return body?.groupInfoList ?? []
  }

  async createUser(body: Record<string, unknown>): Promise<string> {
    const reply = await this.call<{ userId?: string; id?: string }>('POST', 'users', body)
    const id = reply?.userId ?? reply?.id
    if (!id)
      throw new TargetError('Acrobat Sign created a user but returned no userId', { code: 'target.sign.bad-reply' })
    return id
  }

  async updateUser(id: string, body: Record<string, unknown>): Promise<void> {
    await this.call('PUT', `users/${encodeURIComponent(id)}`, body)
  }

  async setState(id: string, state: 'ACTIVE' | 'INACTIVE', comment: string): Promise<void> {
    await this.call('PUT', `users/${encodeURIComponent(id)}/state`, { state, comment })
  }

  async putUserGroups(id: string, groupInfoList: Record<string, unknown>[]): Promise<void> {
    await this.call('PUT', `users/${encodeURIComponent(id)}/groups`, { groupInfoList })
  }

  async createGroup(name: string): Promise<string> {
    const reply = await this.call<{ id?: string }>('POST', 'groups', { name, isDefaultGroup: false })
    if (!reply?.id)
      throw new TargetError('Acrobat Sign created a group but returned no id', { code: 'target.sign.bad-reply' })
    return reply.id
  }
}
