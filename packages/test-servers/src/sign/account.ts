/**
 * State of one fake Acrobat Sign account (sign-api.md §4–§7): users with details, groups with exactly one
 * Default Group, and each user's group memberships (UMG: several groups, one primary, admin per group).
 */

/** `DetailedUserInfo.status` values. */
export type SignUserStatus = 'ACTIVE' | 'INACTIVE' | 'CREATED' | 'UNVERIFIED'

/** One membership of a user (`UserGroupInfo`). */
export interface SignMembership {
  groupId: string
  isGroupAdmin: boolean
  isPrimaryGroup: boolean
  createdDate: string
}

/** A user as the fake keeps it. */
export interface SignUser {
  id: string
  email: string
  firstName?: string
  lastName?: string
  company?: string
  isAccountAdmin: boolean
  status: SignUserStatus
  createdDate: string
  memberships: SignMembership[]
}

/** A group as the fake keeps it. */
export interface SignGroup {
  groupId: string
  groupName: string
  createdDate: string
  isDefaultGroup: boolean
}

/** What {@link FakeSignAccount.addUser} takes. */
export interface SeedSignUser {
  email: string
  firstName?: string
  lastName?: string
  isAccountAdmin?: boolean
  status?: SignUserStatus
  /** Group names; the first is primary. Default: the Default Group. */
  groups?: string[]
  /** Group names the user administers (must be among `groups`). */
  adminOf?: string[]
}

const DATE = '2024-01-15T10:00:00Z'

/** The account's users and groups. Ids are opaque, URL-safe and never reused. */
export class FakeSignAccount {
  readonly accountId = 'CBJCHBCAABAAfakeAccount'
  private readonly users = new Map<string, SignUser>()
  private readonly groups = new Map<string, SignGroup>()
  private next = 1

  constructor(defaultGroupName = 'Default Group') {
    this.addGroup(defaultGroupName, true)
  }

  private id(prefix: string): string {
    return `${prefix}${(this.next++).toString(36).padStart(6, '0')}AAbC-_x`
  }

  /** Adds a group; returns it. */
  addGroup(name: string, isDefault = false): SignGroup {
    const group: SignGroup = { groupId: this.id('G'), groupName: name, createdDate: DATE, isDefaultGroup: isDefault }
    this.groups.set(group.groupId, group)
    return group
  }

  /** Adds a user (seeding); groups are looked up by name, created when missing. */
  addUser(seed: SeedSignUser): SignUser {
    const names = seed.groups?.length ? seed.groups : [this.defaultGroup().groupName]
    const memberships = names.map((name, i) => ({
      groupId: (this.groupByName(name) ?? this.addGroup(name)).groupId,
      isGroupAdmin: seed.adminOf?.includes(name) ?? false,
      isPrimaryGroup: i === 0,
      createdDate: DATE,
    }))
    const user: SignUser = {
      id: this.id('U'),
      email: seed.email,
      ...(seed.firstName ? { firstName: seed.firstName } : {}),
      ...(seed.lastName ? { lastName: seed.lastName } : {}),
      isAccountAdmin: seed.isAccountAdmin ?? false,
      status: seed.status ?? 'ACTIVE',
      createdDate: DATE,
      memberships,
    }
    this.users.set(user.id, user)
    return user
  }

  /** Every user, in creation order. */
  allUsers(): SignUser[] {
    return [...this.users.values()]
  }

  /** Every group, in creation order. */
  allGroups(): SignGroup[] {
    return [...this.groups.values()]
  }

  user(id: string): SignUser | undefined {
    return this.users.get(id)
  }

  group(id: string): SignGroup | undefined {
    return this.groups.get(id)
  }

  /** The user with this email (compared ignoring case). */
  userByEmail(email: string): SignUser | undefined {
    const lower = email.toLowerCase()
    return this.allUsers().find((u) => u.email.toLowerCase() === lower)
  }

  /** The group with this name (compared ignoring case). */
  groupByName(name: string): SignGroup | undefined {
    const lower = name.toLowerCase()
    return this.allGroups().find((g) => g.groupName.toLowerCase() === lower)
  }

  defaultGroup(): SignGroup {
    const group = this.allGroups().find((g) => g.isDefaultGroup)
    if (!group) throw new Error('fake Sign account without a Default Group')
    return group
  }

  /** A user's state for assertions: `{email, status, admin, primary, groups, groupAdmin}` with group names. */
  describe(email: string): { status: SignUserStatus; accountAdmin: boolean; primary: string; groupAdminOf: string[] } {
    const user = this.userByEmail(email)
    if (!user) throw new Error(`no Sign user ${email}`)
    const name = (id: string) => this.groups.get(id)?.groupName ?? id
    const primary = user.memberships.find((m) => m.isPrimaryGroup)
    return {
      status: user.status,
      accountAdmin: user.isAccountAdmin,
      primary: primary ? name(primary.groupId) : '',
      groupAdminOf: user.memberships.filter((m) => m.isGroupAdmin).map((m) => name(m.groupId)),
    }
  }

  /** Creates a user (POST /users): in `primaryGroupId` or the Default Group. */
  createUser(
    fields: Omit<SignUser, 'id' | 'createdDate' | 'memberships' | 'status'>,
    primaryGroupId?: string,
  ): SignUser {
    const user: SignUser = {
      ...fields,
      id: this.id('U'),
      status: 'ACTIVE',
      createdDate: DATE,
      memberships: [
        {
          groupId: primaryGroupId ?? this.defaultGroup().groupId,
          isGroupAdmin: false,
          isPrimaryGroup: true,
          createdDate: DATE,
        },
      ],
    }
    this.users.set(user.id, user)
    return user
  }
}
