import {
  checkCommandResults,
  checkSnapshot,
  type PlannedCommand,
  type Target,
  type TargetSnapshot,
  type UserCommand,
  type UserRef,
} from '@ust-sync/api'
import { attempt, messageOf, type Recorder } from './report.js'
import {
  adopted,
  changed,
  type ExpectedChange,
  type ExpectedUser,
  normal,
  notDone,
  stateProblems,
  userIn,
} from './target-model.js'

/** Steps of the default script a target may declare it cannot do, with why (reported as skipped). */
export interface UnsupportedSteps {
  /** The target cannot change a user's email / username (`update: {email, username}`). */
  usernameChange?: string
}

/** What the script needs: the live target, where to record, and the groups it may use. */
export interface ScriptRun {
  target: Target
  r: Recorder
  /** Error messages seen (for the secret scan). */
  errors: string[]
  /** Snapshot before the script. */
  before: TargetSnapshot
  /** Existing user groups to use when the target cannot create groups (as the target spells them). */
  groups?: string[]
  unsupported?: UnsupportedSteps
}

const SCOPE = { includeGroups: true }
const emailOf = (name: string) => `ust-testkit-${name}@example.com`
const ref = (email: string): UserRef => ({ identityType: 'federatedID', email, username: email, domain: 'example.com' })
const fold = (s: string) => s.toLowerCase()

/** Emails the script creates (it removes them all again at the end). */
export const SCRIPT_EMAILS = ['ann', 'bob', 'carl', 'carl.renamed', 'dora', 'eve', 'fred'].map(emailOf)

/**
 * The default target script: create, onConflict ignore and update, update, a username change, add and
 * remove groups, `removeGroups: 'all'`, removal from the org with and without `deleteAccount`, test mode
 * across two batches (a test-mode batch must leave nothing behind for the next), a scoped snapshot, and a
 * second identical plan (idempotence). Each step is one rule whose problems say what the target did and
 * what the contract wants.
 */
export async function runTargetScript(run: ScriptRun): Promise<void> {
  const { target, r, errors, before } = run
  const { testMode, createGroups } = target.capabilities
  const expected = new Map<string, ExpectedUser>()
  const [ann, bob, carl, carlRenamed, dora, eve, fred] = SCRIPT_EMAILS as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ]

  const snapshot = async (): Promise<[TargetSnapshot | undefined, string[]]> => {
    const [snap, error] = await attempt(() => target.snapshot(SCOPE))
    if (error) {
      errors.push(messageOf(error))
      return [undefined, [`snapshot() threw: ${messageOf(error)}`]]
    }
    const problems = checkSnapshot(snap, SCOPE)
    return [problems.length ? undefined : snap, problems.map((p) => `snapshot(): ${p}`)]
  }
  const apply = async (commands: PlannedCommand[], testOnly: boolean, wants?: string) => {
    const [results, error] = await attempt(() => target.apply(commands, { testOnly }))
    if (error) {
      errors.push(messageOf(error))
      return [`apply() threw: ${messageOf(error)}; the contract wants one result per command`]
    }
    const broken = checkCommandResults(results, commands)
    return broken.length ? broken : testOnly && !wants ? [] : notDone(results, wants)
  }
  /** Groups expected of a user now. */
  const groupsOf = (email: string) => expected.get(email)?.groups ?? []
  /**
   * Applies a live batch, changes the expectations, and records the rule with every problem; then takes
   * what the target did to the users addressed as the next expectation (a failure is reported once).
   */
  const live = async (rule: string, commands: PlannedCommand[], expect: Record<string, ExpectedChange> = {}) => {
    const problems = await apply(commands, false)
    for (const [email, change] of Object.entries(expect)) expected.set(email, changed(expected.get(email), change))
    const [snap, snapProblems] = await snapshot()
    const addressed = new Set(
      commands.flatMap((c) => (c.kind === 'user' ? [c.user.email, c.update?.email ?? c.user.email].map(fold) : [])),
    )
    r.rule(rule, [...problems, ...snapProblems, ...(snap ? stateProblems(snap, expected, addressed) : [])])
    if (snap) for (const email of addressed) expected.set(email, adopted(snap, email, expected.get(email)))
    return snap
  }

  // The groups: two the script creates (spelled with capitals: commands carry them lower-cased), or existing ones.
  const spelled = createGroups
    ? ['UST Testkit A', 'UST Testkit B']
    : (run.groups ?? (before.groups ?? []).filter((g) => g.type === 'userGroup').map((g) => g.name)).slice(0, 2)
  const [a, b] = spelled.map(fold)
  const groupCommands: PlannedCommand[] = createGroups
    ? spelled.map((name, i) => ({
        kind: 'createGroup',
        id: `testkit:g${i}`,
        name,
        description: 'made by the ust testkit',
      }))
    : []
  if (!a) r.skip('group steps', 'the target cannot create groups and has no user group (pass `groups`)')
  let n = 0
  const user = (email: string, step: Omit<UserCommand, 'kind' | 'id' | 'user'>): UserCommand => ({
    kind: 'user',
    id: `testkit:${++n}`,
    user: ref(email),
    ...step,
  })
  const create = (firstname: string, lastname: string, onConflict: 'ignore' | 'update' = 'ignore') => ({
    create: { firstname, lastname, country: 'US', onConflict },
  })
  const inA = a ? [a] : []
  const inAB = [a, b].filter((g): g is string => Boolean(g))
  const creates = [
    ...groupCommands,
    user(ann, { ...create('Ann', 'Lee'), ...(a ? { addGroups: inA } : {}) }),
    user(bob, { ...create('Bob', 'Roe'), ...(a ? { addGroups: inAB } : {}) }),
    user(carl, { ...create('Carl', 'Cole'), ...(a ? { addGroups: inA } : {}) }),
    user(dora, create('Dora', 'Dunn')),
  ]

  if (testMode) {
    const problems = await apply(creates, true)
    const [after, snapProblems] = await snapshot()
    r.rule('test mode changes nothing', [
      ...problems,
      ...snapProblems,
      ...(after && normal(after) !== normal(before)
        ? ['the snapshot changed after apply(…, {testOnly: true}); the contract wants no change']
        : []),
    ])
  } else r.skip('test mode changes nothing', 'capabilities.testMode is false: ust refuses -t for this target')

  const created = await live('create: new users get their names and groups', creates, {
    [ann]: { firstname: 'Ann', lastname: 'Lee', groups: inA },
    [bob]: { firstname: 'Bob', lastname: 'Roe', groups: inAB },
    [carl]: { firstname: 'Carl', lastname: 'Cole', groups: inA },
    [dora]: { firstname: 'Dora', lastname: 'Dunn', groups: [] },
  })
  if (created && createGroups)
    r.rule(
      'createGroup: snapshot({includeGroups}) lists the group as a userGroup',
      spelled.flatMap((name) => {
        const group = created.groups?.find((g) => fold(g.name) === fold(name))
        return group?.type === 'userGroup'
          ? []
          : [
              `snapshot() lists ${group ? `"${name}" as ${group.type}` : `no group "${name}"`}; the contract wants a userGroup`,
            ]
      }),
    )
  if (created && a) {
    const [scoped, error] = await attempt(() => target.snapshot({ groups: [a.toUpperCase()], includeGroups: false }))
    if (error) errors.push(messageOf(error))
    const emails = (scoped?.users ?? []).map((u) => fold(u.email))
    r.rule(
      'snapshot({groups}) lists only members of those groups (names compared ignoring case)',
      error
        ? [`snapshot() threw: ${messageOf(error)}`]
        : [
            ...[ann, bob, carl].filter((e) => !emails.includes(e)).map((e) => `it leaves out ${e}, a member of "${a}"`),
            ...(emails.includes(dora) ? [`it lists ${dora}, who is in no group; the contract wants members only`] : []),
          ],
    )
  }

  if (testMode) {
    // The bug `checkTarget` once let through: a target keeping a working copy that test mode changes.
    const first = await apply(
      [user(ann, { removeFromOrg: { deleteAccount: true } }), user(eve, create('Eve', 'Ely'))],
      true,
    )
    const second = await apply(
      [user(ann, { update: { firstname: 'Ann' } })],
      true,
      `the contract wants done: ${ann} is still in the target, because the test-mode batch before changed nothing`,
    )
    const [after, snapProblems] = await snapshot()
    r.rule('test mode across two batches: a test-mode batch leaves nothing behind for the next', [
      ...first,
      ...second,
      ...snapProblems,
      ...(after && normal(after) !== normal(created)
        ? ['the snapshot changed after two test-mode batches; the contract wants no change']
        : []),
    ])
  } else r.skip('test mode across two batches', 'capabilities.testMode is false')

  const ignored = await live('create with onConflict "ignore" leaves an existing user as it is', [
    user(ann, create('Other', 'Name', 'ignore')),
  ])
  if (testMode)
    r.rule(
      'test mode across batches: a live batch after test mode applies only its own commands',
      ignored && userIn(ignored, eve)
        ? [`snapshot() lists ${eve}, created only in test mode; the contract wants test mode never to reach the target`]
        : [],
    )
  await live(
    'create with onConflict "update" updates the names of an existing user',
    [user(ann, create('Annie', 'Lee', 'update'))],
    { [ann]: { firstname: 'Annie', lastname: 'Lee' } },
  )
  await live('update changes the names it is given, and only those', [user(bob, { update: { firstname: 'Robert' } })], {
    [bob]: { firstname: 'Robert' },
  })
  let carlNow = carl
  if (run.unsupported?.usernameChange) r.skip('update of email and username', run.unsupported.usernameChange)
  else {
    await live(
      'update of email and username renames the user',
      [user(carl, { update: { email: carlRenamed, username: carlRenamed } })],
      { [carl]: null, [carlRenamed]: expected.get(carl) ?? null },
    )
    carlNow = carlRenamed
  }
  if (a) {
    await live(
      'removeGroups and addGroups change only the groups named',
      [user(bob, { removeGroups: [a] }), user(ann, { addGroups: inAB })],
      {
        [bob]: { groups: groupsOf(bob).filter((g) => g !== a) },
        [ann]: { groups: [...new Set([...groupsOf(ann), ...inAB])] },
      },
    )
    await live(`removeGroups: 'all' removes every group`, [user(ann, { removeGroups: 'all' })], {
      [ann]: { groups: [] },
    })
  }
  await live(
    'removeFromOrg without deleteAccount removes the user from the organisation',
    [user(dora, { removeFromOrg: { deleteAccount: false } })],
    { [dora]: null },
  )
  await live(
    'removeFromOrg with deleteAccount deletes the user',
    [user(carlNow, { removeFromOrg: { deleteAccount: true } })],
    { [carlNow]: null },
  )

  // A second identical plan: what ust does when it re-runs after a crash.
  const plan: PlannedCommand[] = [
    ...groupCommands,
    user(ann, { ...create('Annie', 'Lee'), ...(a ? { addGroups: inA } : {}) }),
    user(bob, { update: { lastname: 'Roe' }, removeGroups: 'all' }),
    user(fred, { ...create('Fred', 'Fox'), ...(a ? { addGroups: inA } : {}) }),
    user(dora, { removeFromOrg: { deleteAccount: true } }),
  ]
  const once = await live('a plan is applied', plan, {
    [ann]: { groups: [...new Set([...groupsOf(ann), ...inA])] },
    [bob]: { lastname: 'Roe', groups: [] },
    [fred]: { firstname: 'Fred', lastname: 'Fox', groups: inA },
    [dora]: null,
  })
  r.rule('a second run reports one result per command, all done', await apply(plan, false))
  const [twice, snapProblems] = await snapshot()
  r.rule('a second run changes nothing (idempotent)', [
    ...snapProblems,
    ...(twice && once && normal(twice) !== normal(once)
      ? ['the snapshot changed on a second run of the same plan; the contract wants no change']
      : []),
  ])

  const cleaned = await live(
    'removeFromOrg removes every user the script made',
    [ann, bob, fred].map((email) => user(email, { removeFromOrg: { deleteAccount: true } })),
    { [ann]: null, [bob]: null, [fred]: null },
  )
  const ours = new Set(SCRIPT_EMAILS)
  if (cleaned)
    r.rule(
      'users the script did not address are unchanged',
      normal(cleaned, (e) => ours.has(fold(e))) === normal(before, (e) => ours.has(fold(e)))
        ? []
        : ['the other users of the snapshot changed; the contract wants commands to touch only their own user'],
    )
}
