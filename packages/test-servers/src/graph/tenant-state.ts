import { randomUUID } from 'node:crypto'

/** A Graph user as the fake stores it: `id` plus any properties (Graph names: mail, givenName, …). */
export interface GraphUser {
  id: string
  userPrincipalName: string
  [property: string]: unknown
}

/** A Graph group: its members are user or group ids (nested groups). */
export interface GraphGroup {
  id: string
  displayName: string
  members: string[]
}

/** What {@link FakeTenant.addUser} takes: `userPrincipalName` at least; `id` is generated when absent. */
export type SeedGraphUser = Partial<GraphUser> & { userPrincipalName: string }

/** Properties Graph returns on `/users` when no `$select` is given (graph-api.md §5). */
export const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'id',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
]

/**
 * The directory of a fake Entra ID tenant: users and groups (display names need not be unique; groups
 * nest). Seed it before a test, change it between runs.
 */
export class FakeTenant {
  private readonly userMap = new Map<string, GraphUser>()
  private readonly groupMap = new Map<string, GraphGroup>()

  constructor(readonly tenantId: string) {}

  /** Adds a user (`accountEnabled` true unless given) and returns it. */
  addUser(seed: SeedGraphUser): GraphUser {
    const user: GraphUser = { accountEnabled: true, ...seed, id: seed.id ?? randomUUID() }
    this.userMap.set(user.id, user)
    return user
  }

  /** Adds a group with these member ids (users or groups) and returns it. */
  addGroup(displayName: string, members: string[] = [], id: string = randomUUID()): GraphGroup {
    const group: GraphGroup = { id, displayName, members: [...members] }
    this.groupMap.set(id, group)
    return group
  }

  /** Adds a member (user or group id) to a group. */
  addMember(group: GraphGroup, memberId: string): void {
    if (!group.members.includes(memberId)) group.members.push(memberId)
  }

  /** Removes a user from the tenant and from every group. */
  removeUser(id: string): void {
    this.userMap.delete(id)
    for (const group of this.groupMap.values()) group.members = group.members.filter((m) => m !== id)
  }

  user(id: string): GraphUser | undefined {
    return this.userMap.get(id)
  }

  group(id: string): GraphGroup | undefined {
    return this.groupMap.get(id)
  }

  /** Every user, in insertion order. */
  users(): GraphUser[] {
    return [...this.userMap.values()]
  }

  /** Every group, in insertion order. */
  groups(): GraphGroup[] {
    return [...this.groupMap.values()]
  }

  /** The users of a group and of every group nested in it, each once, in a stable order (Graph's transitiveMembers). */
  transitiveUsers(groupId: string): GraphUser[] {
    const seenGroups = new Set<string>()
    const seenUsers = new Set<string>()
    const out: GraphUser[] = []
    const visit = (id: string): void => {
      if (seenGroups.has(id)) return
      seenGroups.add(id)
      for (const member of this.groupMap.get(id)?.members ?? []) {
        const user = this.userMap.get(member)
        if (user && !seenUsers.has(member)) {
          seenUsers.add(member)
          out.push(user)
        } else if (this.groupMap.has(member)) visit(member)
      }
    }
    visit(groupId)
    return out
  }
}
