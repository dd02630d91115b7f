import fc from 'fast-check'
import type { CreateGroupCommand, IdentityType, PlannedCommand, UserCommand } from '@ust-sync/api'

/** User groups of the generated org (as the snapshot lists them). */
export const USER_GROUPS = ['Design', 'Sales', 'Ops', 'Eng', 'Legal']
const PROFILES = ['Photoshop - Default', 'Acrobat Pro', 'Illustrator - Default']
const ADMIN = ['_admin_Design', '_support_admin']
const NEW_GROUPS = ['New Team', 'Another Team']
const INVALID_GROUPS = ['_reserved', 'x'.repeat(256)]

const groupName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...USER_GROUPS, ...USER_GROUPS.map((g) => g.toLowerCase()), ...NEW_GROUPS) },
  { weight: 2, arbitrary: fc.constantFrom(...PROFILES, ...ADMIN) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 200 }).map((n) => `Profile ${n}`) },
)

const update = fc.record(
  {
    email: fc.constant('renamed@example.com'),
    username: fc.constant('renamed'),
    firstname: fc.constant('F'),
    lastname: fc.constant('L'),
  },
  { requiredKeys: [] },
)

function userCommand(n: number): fc.Arbitrary<UserCommand> {
  return fc
    .record({
      identityType: fc.constantFrom<IdentityType>('adobeID', 'enterpriseID', 'federatedID'),
      emailNo: fc.integer({ min: 0, max: 40 }),
      nonEmailUsername: fc.boolean(),
      create: fc.option(
        fc.record({
          country: fc.constant('US'),
          firstname: fc.constant('A'),
          lastname: fc.constant('B'),
          onConflict: fc.constantFrom<'ignore' | 'update'>('ignore', 'update'),
        }),
        { freq: 4, nil: undefined },
      ),
      update: fc.option(update, { freq: 4, nil: undefined }),
      removeGroups: fc.option(fc.oneof(fc.constant('all' as const), fc.array(groupName, { maxLength: 25 })), {
        freq: 2,
        nil: undefined,
      }),
      addGroups: fc.option(
        fc.oneof(
          { weight: 5, arbitrary: fc.array(groupName, { maxLength: 3 }) },
          { weight: 1, arbitrary: fc.array(groupName, { maxLength: 130 }) },
        ),
        { freq: 2, nil: undefined },
      ),
      removeFromOrg: fc.option(fc.record({ deleteAccount: fc.boolean() }), { freq: 6, nil: undefined }),
    })
    .map((r) => {
      const email = `user${r.emailNo}@example.com`
      const nonEmail = r.identityType === 'federatedID' && r.nonEmailUsername
      const command: UserCommand = {
        kind: 'user',
        id: `umapi:${n}`,
        user: {
          identityType: r.identityType,
          email,
          username: nonEmail ? `user${r.emailNo}` : email,
          domain: 'example.com',
        },
      }
      if (r.create) command.create = r.create
      if (r.update) command.update = r.update
      if (r.removeGroups) command.removeGroups = r.removeGroups
      if (r.addGroups) command.addGroups = r.addGroups
      if (r.removeFromOrg) command.removeFromOrg = r.removeFromOrg
      return command
    })
}

/** A single membership change of an existing user: the case group-centric packing is for. */
function membershipCommand(n: number): fc.Arbitrary<UserCommand> {
  return fc.record({ emailNo: fc.integer({ min: 0, max: 400 }), group: groupName, add: fc.boolean() }).map((r) => {
    const email = `member${r.emailNo}@example.com`
    const command: UserCommand = {
      kind: 'user',
      id: `umapi:${n}`,
      user: { identityType: 'federatedID', email, username: email, domain: 'example.com' },
    }
    if (r.add) command.addGroups = [r.group]
    else command.removeGroups = [r.group]
    return command
  })
}

function createGroup(n: number): fc.Arbitrary<CreateGroupCommand> {
  return fc
    .constantFrom(...NEW_GROUPS, ...INVALID_GROUPS)
    .map((name) => ({ kind: 'createGroup', id: `umapi:g${n}`, name, description: 'Created by ust' }))
}

/** A plan as the engine orders it (group creations first), ids unique. */
export function plannedCommands(maxUsers: number): fc.Arbitrary<PlannedCommand[]> {
  return fc
    .record({
      creates: fc.integer({ min: 0, max: 3 }),
      kinds: fc.array(fc.constantFrom('user', 'membership', 'membership'), { maxLength: maxUsers }),
    })
    .chain(({ creates, kinds }) =>
      fc.tuple(
        fc.tuple(...Array.from({ length: creates }, (_, i) => createGroup(i))),
        fc.tuple(...kinds.map((k, i) => (k === 'user' ? userCommand(i) : membershipCommand(i)))),
      ),
    )
    .map(([creates, users]) => [...creates, ...users])
}
