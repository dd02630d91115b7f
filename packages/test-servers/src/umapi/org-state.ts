import { randomBytes } from 'node:crypto'
import { MemberSet, type MembershipIndex } from './member-set.js'

/** UMAPI user types the fake knows. */
export type UserType = 'adobeID' | 'enterpriseID' | 'federatedID'

/** User status; only `active` users are returned by the read endpoints. */
export type UserStatus = 'active' | 'disabled' | 'locked' | 'removed'

/** Group types of umapi.md §3.4. */
export type GroupType =
  | 'USER_GROUP'
  | 'PRODUCT_PROFILE'
  | 'SYSADMIN_GROUP'
  | 'DEPLOYMENT_ADMIN_GROUP'
  | 'SUPPORT_ADMIN_GROUP'
  | 'PRODUCT_ADMIN_GROUP'
  | 'PROFILE_ADMIN_GROUP'
  | 'USER_ADMIN_GROUP'
  | 'DEVELOPER_GROUP'

/** A user of the org (live object: mutate through the org's methods, read freely). */
export interface FakeUser {
  id: string
  email: string
  /** Equals email for Adobe/Enterprise IDs; federated users may have a non-email username. */
  username: string
  readonly domain: string
  type: UserType
  /** Fixed at creation: {@link FakeOrg.activeUsers} relies on it. */
  readonly status: UserStatus
  firstname?: string
  lastname?: string
  country?: string
}

/** A group of the org: user group, product profile or admin group. */
export interface FakeGroup {
  groupId: number
  /** Name as stored (and returned); lookups are case-insensitive. */
  groupName: string
  type: GroupType
  description?: string
  /** PRODUCT_PROFILE: product name; PRODUCT_ADMIN_GROUP: the administered product. */
  productName?: string
  /** PRODUCT_PROFILE only, a string as UMAPI sends it. */
  licenseQuota?: string
  /** USER_ADMIN / PROFILE_ADMIN / DEVELOPER groups: name of the administered group. */
  baseName?: string
  /** Owned by another org: membership changes, rename and delete fail. */
  readOnly: boolean
  /** Member user ids (direct membership). */
  members: Set<string>
  /** USER_GROUP only: product profiles (groupIds) the group grants to its members. */
  profiles: Set<number>
}

/** Seed data for {@link FakeOrg.addUser}. */
export interface SeedUser {
  email: string
  /** Default `federatedID`. */
  type?: UserType
  /** Default: the email. */
  username?: string
  /** Default: the email's domain. */
  domain?: string
  /** Absent or undefined: none (as for `lastname` and `country`; a step's values are forwarded as they are). */
  firstname?: string | undefined
  lastname?: string | undefined
  country?: string | undefined
  /** Default `active`. */
  status?: UserStatus
  /** Groups (any type, must exist or be derivable admin groups) the user is a direct member of. */
  groups?: string[]
}

/** Lookup options of {@link FakeOrg.findUser}. */
export interface FindUserOptions {
  /** Domain of a non-email username (undefined: none, as forwarded from a request); `AdobeID` selects Adobe IDs. */
  domain?: string | undefined
  /** Prefer the Adobe ID when an Enterprise/Federated ID has the same email. */
  useAdobeID?: boolean
}

const FIXED_ADMIN_GROUPS: Record<string, GroupType> = {
  _org_admin: 'SYSADMIN_GROUP',
  _deployment_admin: 'DEPLOYMENT_ADMIN_GROUP',
  _support_admin: 'SUPPORT_ADMIN_GROUP',
}

const lower = (s: string): string => s.toLowerCase()

/**
 * The same text as one flat string (a template literal makes a rope): member sets are probed with user
 * ids for every user rendered, and a rope costs each probe more (large orgs read twice as fast).
 */
const flat = (s: string): string => Buffer.from(s, 'latin1').toString('latin1')

/**
 * The state of the one org a fake serves: users, groups, memberships and claimed domains.
 * Group names resolve case-insensitively and are returned as stored. Tests seed it with the `add*`
 * methods and inspect it with {@link users}, {@link groups}, {@link findUser}, {@link groupsOf}.
 */
export class FakeOrg {
  /** Insertion-ordered; a Set so that removing a user stays cheap in large orgs (benchmarks). */
  private readonly userList = new Set<FakeUser>()
  /** Users by lower-cased email and by lower-cased username, so lookups stay cheap in large orgs. */
  private readonly byName = new Map<string, FakeUser[]>()
  private readonly groupList: FakeGroup[] = []
  /** The groups each user id is a direct member of (kept by the groups' {@link MemberSet}s). */
  private readonly memberIndex: MembershipIndex = new Map()
  private nextGroupId = 4410001
  /** Bumped whenever a user is added or removed: it keys {@link activeUsers}'s memo. */
  private revision = 0
  private activeMemo?: { revision: number; domain: string | undefined; users: readonly FakeUser[] }
  readonly claimedDomains: Set<string>

  constructor(
    readonly orgId: string,
    claimedDomains: Iterable<string>,
  ) {
    this.claimedDomains = new Set([...claimedDomains].map(lower))
  }

  /** True when Enterprise/Federated users may live in `domain`. */
  isClaimed(domain: string): boolean {
    return this.claimedDomains.has(lower(domain))
  }

  /** Adds a user; throws when one with the same identity exists or a seed group is unknown. */
  addUser(seed: SeedUser): FakeUser {
    const type = seed.type ?? 'federatedID'
    const username = seed.username ?? seed.email
    const domain = seed.domain ?? seed.email.slice(seed.email.indexOf('@') + 1)
    const clash = [...this.usersNamed(seed.email), ...this.usersNamed(username)].find(
      (u) =>
        (u.type === 'adobeID') === (type === 'adobeID') &&
        (lower(u.email) === lower(seed.email) ||
          (lower(u.username) === lower(username) && lower(u.domain) === lower(domain))),
    )
    if (clash) throw new Error(`fake org: user ${seed.email} (${type}) already exists`)
    const user: FakeUser = {
      id: flat(`${randomBytes(12).toString('hex').toUpperCase()}@AdobeID`),
      email: seed.email,
      username,
      domain,
      type,
      status: seed.status ?? 'active',
    }
    if (seed.firstname !== undefined) user.firstname = seed.firstname
    if (seed.lastname !== undefined) user.lastname = seed.lastname
    if (seed.country !== undefined) user.country = seed.country
    this.userList.add(user)
    this.revision++
    this.index(user)
    for (const g of seed.groups ?? []) this.addToGroup(user, g)
    return user
  }

  /** Adds a user group (USER_GROUP), optionally granting product profiles to its members. */
  addUserGroup(
    name: string,
    options: { description?: string; readOnly?: boolean; productProfiles?: string[] } = {},
  ): FakeGroup {
    const group = this.addGroup(name, 'USER_GROUP', {
      ...(options.description === undefined ? {} : { description: options.description }),
      readOnly: options.readOnly ?? false,
    })
    for (const p of options.productProfiles ?? []) group.profiles.add(this.requireGroup(p, 'PRODUCT_PROFILE').groupId)
    return group
  }

  /** Adds a product profile (PRODUCT_PROFILE) of `productName`. */
  addProductProfile(name: string, options: { productName: string; licenseQuota?: string }): FakeGroup {
    return this.addGroup(name, 'PRODUCT_PROFILE', {
      productName: options.productName,
      licenseQuota: options.licenseQuota ?? 'UNLIMITED',
    })
  }

  /**
   * Adds an admin group by its UMAPI name: `_org_admin`, `_deployment_admin`, `_support_admin`,
   * `_admin_<user group or profile>`, `_developer_<profile>`, `_product_admin_<product>`.
   * Throws for other names or when the administered group/product does not exist.
   */
  addAdminGroup(name: string): FakeGroup {
    const derived = this.deriveAdminGroup(name)
    if (!derived)
      throw new Error(`fake org: ${name} is not an admin group name or its base group/product does not exist`)
    return this.addGroup(name, derived.type, derived.extra)
  }

  /** Makes `user` a direct member of `groupName` (derivable admin groups are created on demand). */
  addToGroup(user: FakeUser | string, groupName: string): void {
    const u = typeof user === 'string' ? this.findUser(user) : user
    if (!u) throw new Error(`fake org: unknown user ${String(user)}`)
    const g = this.groupForMembership(groupName)
    if (!g) throw new Error(`fake org: unknown group ${groupName}`)
    g.members.add(u.id)
  }

  /** All users (any status), in insertion order. */
  users(): FakeUser[] {
    return [...this.userList]
  }

  /**
   * The active users (of `domain` when given, case-insensitive) in insertion order: the list UMAPI pages
   * through. Built once per change of the org's users, so reading a large org page by page is linear.
   */
  activeUsers(domain?: string): readonly FakeUser[] {
    const d = domain?.toLowerCase()
    const memo = this.activeMemo
    if (memo && memo.revision === this.revision && memo.domain === d) return memo.users
    const users: FakeUser[] = []
    for (const u of this.userList)
      if (u.status === 'active' && (d === undefined || u.domain.toLowerCase() === d)) users.push(u)
    this.activeMemo = { revision: this.revision, domain: d, users }
    return users
  }

  /** All groups, in insertion order. */
  groups(): FakeGroup[] {
    return [...this.groupList]
  }

  /** Group by name, case-insensitive. */
  findGroup(name: string): FakeGroup | undefined {
    const key = lower(name)
    return this.groupList.find((g) => lower(g.groupName) === key)
  }

  /**
   * User by email or username (case-insensitive). Without `useAdobeID`, Enterprise/Federated IDs win
   * over an Adobe ID with the same email. A non-email username needs `domain`.
   */
  findUser(userString: string, options: FindUserOptions = {}): FakeUser | undefined {
    const s = lower(userString)
    const wantAdobe = options.useAdobeID === true || options.domain === 'AdobeID'
    const domain = options.domain && options.domain !== 'AdobeID' ? lower(options.domain) : undefined
    const matches = this.usersNamed(s).filter((u) => {
      const nameMatch = s.includes('@') ? lower(u.email) === s || lower(u.username) === s : lower(u.username) === s
      return nameMatch && (domain === undefined || lower(u.domain) === domain)
    })
    if (options.domain === 'AdobeID') return matches.find((u) => u.type === 'adobeID')
    return matches.find((u) => (u.type === 'adobeID') === wantAdobe) ?? matches[0]
  }

  /**
   * Names of the groups of `user`: user groups, admin groups and direct product profiles; with
   * `directOnly: false` also the profiles granted through user groups. Insertion order of groups.
   */
  groupsOf(user: FakeUser, options: { directOnly?: boolean } = {}): string[] {
    if (options.directOnly ?? true) {
      const mine = this.memberIndex.get(user.id)
      const names: string[] = []
      if (mine) for (const g of this.groupList) if (mine.has(g)) names.push(g.groupName)
      return names
    }
    const direct = this.groupList.filter((g) => g.members.has(user.id))
    const granted = new Set<number>(direct.flatMap((g) => [g.groupId, ...g.profiles]))
    return this.groupList.filter((g) => granted.has(g.groupId)).map((g) => g.groupName)
  }

  /** Active members of `group`; with `directOnly: false` a profile also lists members of user groups granting it. */
  membersOf(group: FakeGroup, options: { directOnly?: boolean } = {}): FakeUser[] {
    const ids = new Set(group.members)
    if (!(options.directOnly ?? true)) {
      for (const g of this.groupList) if (g.profiles.has(group.groupId)) for (const id of g.members) ids.add(id)
    }
    const members: FakeUser[] = []
    for (const u of this.userList) if (u.status === 'active' && ids.has(u.id)) members.push(u)
    return members
  }

  /** Removes the user and all its memberships; false when it was not there. */
  removeUser(user: FakeUser): boolean {
    if (!this.userList.delete(user)) return false
    this.revision++
    this.unindex(user)
    for (const g of this.groupList) g.members.delete(user.id)
    return true
  }

  /** Removes a group, its admin group(s), and its grants to user groups. */
  removeGroup(group: FakeGroup): void {
    const doomed = new Set([
      group,
      ...this.groupList.filter((g) => g.baseName !== undefined && lower(g.baseName) === lower(group.groupName)),
    ])
    for (const g of doomed) this.groupList.splice(this.groupList.indexOf(g), 1)
    for (const g of this.groupList) for (const d of doomed) g.profiles.delete(d.groupId)
  }

  /** Renames a group and the admin groups that refer to it. */
  renameGroup(group: FakeGroup, newName: string): void {
    for (const g of this.groupList) {
      if (g.baseName !== undefined && lower(g.baseName) === lower(group.groupName)) {
        g.groupName = `${g.groupName.slice(0, g.groupName.length - g.baseName.length)}${newName}`
        g.baseName = newName
      }
    }
    group.groupName = newName
  }

  /** Admin group named by `_admin_X` etc. is the admin group of this group, if it exists. */
  adminGroupOf(group: FakeGroup): FakeGroup | undefined {
    return this.groupList.find(
      (g) =>
        g.type === (group.type === 'USER_GROUP' ? 'USER_ADMIN_GROUP' : 'PROFILE_ADMIN_GROUP') &&
        g.baseName !== undefined &&
        lower(g.baseName) === lower(group.groupName),
    )
  }

  /** Existing group by name, or a derivable admin group created now; undefined when neither. */
  groupForMembership(name: string): FakeGroup | undefined {
    const existing = this.findGroup(name)
    if (existing) return existing
    const derived = this.deriveAdminGroup(name)
    return derived ? this.addGroup(name, derived.type, derived.extra) : undefined
  }

  /** Deep copy (for test mode, which must not change the real state). */
  clone(): FakeOrg {
    const copy = new FakeOrg(this.orgId, this.claimedDomains)
    copy.nextGroupId = this.nextGroupId
    for (const u of this.userList) {
      const user = { ...u }
      copy.userList.add(user)
      copy.index(user)
    }
    for (const g of this.groupList) {
      const group: FakeGroup = { ...g, members: new MemberSet(), profiles: new Set(g.profiles) }
      for (const id of g.members) group.members.add(id)
      ;(group.members as MemberSet).attach(copy.memberIndex, group)
      copy.groupList.push(group)
    }
    return copy
  }

  /** Type and base of an admin group name whose base exists; undefined otherwise. */
  deriveAdminGroup(name: string): { type: GroupType; extra: Partial<FakeGroup> } | undefined {
    const fixed = FIXED_ADMIN_GROUPS[lower(name)]
    if (fixed) return { type: fixed, extra: {} }
    const prefixed = (prefix: string): string | undefined =>
      lower(name).startsWith(prefix) ? name.slice(prefix.length) : undefined
    const productAdmin = prefixed('_product_admin_')
    if (productAdmin !== undefined) {
      const profile = this.groupList.find(
        (g) => g.type === 'PRODUCT_PROFILE' && lower(g.productName ?? '') === lower(productAdmin),
      )
      if (!profile) return undefined
      const extra = profile.productName === undefined ? {} : { productName: profile.productName }
      return { type: 'PRODUCT_ADMIN_GROUP', extra }
    }
    const developer = prefixed('_developer_')
    if (developer !== undefined) {
      const base = this.findGroup(developer)
      return base?.type === 'PRODUCT_PROFILE'
        ? { type: 'DEVELOPER_GROUP', extra: { baseName: base.groupName } }
        : undefined
    }
    const admin = prefixed('_admin_')
    if (admin !== undefined) {
      const base = this.findGroup(admin)
      if (base?.type === 'USER_GROUP') return { type: 'USER_ADMIN_GROUP', extra: { baseName: base.groupName } }
      if (base?.type === 'PRODUCT_PROFILE') return { type: 'PROFILE_ADMIN_GROUP', extra: { baseName: base.groupName } }
    }
    return undefined
  }

  /** Users whose email or username is `value` (case-insensitive). */
  usersNamed(value: string): FakeUser[] {
    return this.byName.get(lower(value)) ?? []
  }

  /** Changes a user's email/username/domain (an `update` step), keeping lookups right. */
  setIdentity(user: FakeUser, fields: Partial<Pick<FakeUser, 'email' | 'username' | 'domain'>>): void {
    this.unindex(user)
    Object.assign(user, fields)
    this.index(user)
  }

  private index(user: FakeUser): void {
    for (const key of new Set([lower(user.email), lower(user.username)])) {
      const list = this.byName.get(key)
      if (list) list.push(user)
      else this.byName.set(key, [user])
    }
  }

  private unindex(user: FakeUser): void {
    for (const key of new Set([lower(user.email), lower(user.username)])) {
      const rest = (this.byName.get(key) ?? []).filter((u) => u !== user)
      if (rest.length) this.byName.set(key, rest)
      else this.byName.delete(key)
    }
  }

  /** Adds a group of any type; throws when the name is taken (case-insensitive). */
  addGroup(name: string, type: GroupType, extra: Partial<FakeGroup> = {}): FakeGroup {
    if (this.findGroup(name)) throw new Error(`fake org: group ${name} already exists`)
    const group: FakeGroup = {
      readOnly: false,
      ...extra,
      groupId: this.nextGroupId++,
      groupName: name,
      type,
      members: new MemberSet(),
      profiles: new Set(),
    }
    ;(group.members as MemberSet).attach(this.memberIndex, group)
    this.groupList.push(group)
    return group
  }

  private requireGroup(name: string, type: GroupType): FakeGroup {
    const g = this.findGroup(name)
    if (!g || g.type !== type) throw new Error(`fake org: no ${type} named ${name}`)
    return g
  }
}
