/** A user of the fake Okta org, as `/api/v1/users` lists it. */
export interface FakeOktaUser {
  id: string
  status: string
  created: string
  lastUpdated: string
  profile: Record<string, unknown>
}

/** A group of the fake Okta org. */
export interface FakeOktaGroup {
  id: string
  type: 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN'
  profile: { name: string; description?: string }
  /** Member user ids, in the order added. */
  members: string[]
}

/** What {@link OktaDirectory.addUser} takes: the profile, and optionally id and status (default ACTIVE). */
export interface SeedOktaUser {
  id?: string
  status?: string
  profile: Record<string, unknown>
  /** Names of groups (created when missing) the user is a member of. */
  groups?: string[]
}

const pad = (n: number) => String(n).padStart(8, '0')

/**
 * The fake org's users and groups. Ids sort in creation order (`00u00000001…`), so the list endpoints page
 * by id; add users and groups at any time (between runs of a test).
 */
export class OktaDirectory {
  private readonly usersById = new Map<string, FakeOktaUser>()
  private readonly groupsById = new Map<string, FakeOktaGroup>()
  private userCount = 0
  private groupCount = 0

  /** Adds a user (and its group memberships); returns it. */
  addUser(seed: SeedOktaUser): FakeOktaUser {
    const id = seed.id ?? `00u${pad(++this.userCount)}fake`
    const at = '2024-02-01T10:00:00.000Z'
    const user: FakeOktaUser = {
      id,
      status: seed.status ?? 'ACTIVE',
      created: at,
      lastUpdated: at,
      profile: seed.profile,
    }
    this.usersById.set(id, user)
    for (const name of seed.groups ?? []) this.addMember(name, id)
    return user
  }

  /** Adds a group by name (or returns the existing one with exactly that name). */
  addGroup(name: string, type: FakeOktaGroup['type'] = 'OKTA_GROUP'): FakeOktaGroup {
    const existing = this.group(name)
    if (existing) return existing
    const group: FakeOktaGroup = { id: `00g${pad(++this.groupCount)}fake`, type, profile: { name }, members: [] }
    this.groupsById.set(group.id, group)
    return group
  }

  /** Makes a user a member of the group `name` (created when missing). */
  addMember(name: string, userId: string): void {
    const group = this.addGroup(name)
    if (!group.members.includes(userId)) group.members.push(userId)
  }

  /** Removes a user from one group. */
  removeMember(name: string, userId: string): void {
    const group = this.group(name)
    if (group) group.members = group.members.filter((id) => id !== userId)
  }

  /** The group with exactly this name. */
  group(name: string): FakeOktaGroup | undefined {
    return [...this.groupsById.values()].find((g) => g.profile.name === name)
  }

  groupById(id: string): FakeOktaGroup | undefined {
    return this.groupsById.get(id)
  }

  user(id: string): FakeOktaUser | undefined {
    return this.usersById.get(id)
  }

  /** Every user, in id order. */
  users(): FakeOktaUser[] {
    return [...this.usersById.values()]
  }

  /** Every group, in id order. */
  groups(): FakeOktaGroup[] {
    return [...this.groupsById.values()]
  }

  /** The members of a group that still exist, in the order added. */
  members(group: FakeOktaGroup): FakeOktaUser[] {
    return group.members.map((id) => this.usersById.get(id)).filter((u): u is FakeOktaUser => u !== undefined)
  }
}
