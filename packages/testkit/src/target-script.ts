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
const [ANN, BOB, CARL, CARL_RENAMED, DORA, EVE, FRED] = SCRIPT_EMAILS as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
]

/**
 * The default target script: create, onConflict ignore and update, update, a username change, add and
 * remove groups, `removeGroups: 'all'`, removal from the org with and without `deleteAccount`, test mode
 * across two batches (a test-mode batch must leave nothing behind for the next), a scoped snapshot, and a
 * second identical plan (idempotence). Each step is one rule whose problems say what the target did and
 * what the contract wants.
 */
export async function runTargetScript(run: ScriptRun): Promise<void> {
  const { r } = run
  const { testMode, createGroups } = run.target.capabilities
  const s = new Script(run)
  const groups = scriptGroups(run)
  const { a, inA, inAB } = groups
  if (!a) r.skip('group steps', 'the target cannot create groups and has no user group (pass `groups`)')
  const creates = [
    ...groups.commands,
    s.user(ANN, { ...create('Ann', 'Lee'), ...(a ? { addGroups: inA } : {}) }),
    s.user(BOB, { ...create('Bob', 'Roe'), ...(a ? { addGroups: inAB } : {}) }),
    s.user(CARL, { ...create('Carl', 'Cole'), ...(a ? { addGroups: inA } : {}) }),
    s.user(DORA, create('Dora', 'Dunn')),
  ]

  if (testMode) await checkTestMode(s, creates)
  else r.skip('test mode changes nothing', 'capabilities.testMode is false: ust refuses -t for this target')

  const created = await s.live('create: new users get their names and groups', creates, {
    [ANN]: { firstname: 'Ann', lastname: 'Lee', groups: inA },
    [BOB]: { firstname: 'Bob', lastname: 'Roe', groups: inAB },
    [CARL]: { firstname: 'Carl', lastname: 'Cole', groups: inA },
    [DORA]: { firstname: 'Dora', lastname: 'Dunn', groups: [] },
  })
  if (created && createGroups) checkCreatedGroups(r, created, groups.spelled)
  if (created && a) await checkScopedSnapshot(s, a)

  if (testMode) await checkTestModeBatches(s, created)
  else r.skip('test mode across two batches', 'capabilities.testMode is false')

  await checkCreateConflicts(s, testMode)
  await s.live(
    'update changes the names it is given, and only those',
    [s.user(BOB, { update: { firstname: 'Robert' } })],
    {
      [BOB]: { firstname: 'Robert' },
    },
  )
  const carlNow = await checkRename(s)
  if (a) await checkGroupChanges(s, a, inAB)
  await s.live(
    'removeFromOrg without deleteAccount removes the user from the organisation',
    [s.user(DORA, { removeFromOrg: { deleteAccount: false } })],
    { [DORA]: null },
  )
  await s.live(
    'removeFromOrg with deleteAccount deletes the user',
    [s.user(carlNow, { removeFromOrg: { deleteAccount: true } })],
    { [carlNow]: null },
  )
  await checkSecondRun(s, groups)
  await checkCleanup(s)
}

/** The `create` step of a user command. */
function create(firstname: string, lastname: string, onConflict: 'ignore' | 'update' = 'ignore') {
  return { create: { firstname, lastname, country: 'US', onConflict } }
}

/** The live target with what the script expects of the users it addressed, and the steps every check uses. */
class Script {
  readonly expected = new Map<string, ExpectedUser>()
  private n = 0

  constructor(readonly run: ScriptRun) {}

  get r(): Recorder {
    return this.run.r
  }

  /** A user command with the next id. */
  user(email: string, step: Omit<UserCommand, 'kind' | 'id' | 'user'>): UserCommand {
    return { kind: 'user', id: `testkit:${++this.n}`, user: ref(email), ...step }
  }

  /** Groups expected of a user now. */
  groupsOf(email: string): string[] {
    return this.expected.get(email)?.groups ?? []
  }

  /** The whole snapshot when it is valid, and the problems (a throw or what the contract rejects). */
  async snapshot(): Promise<[TargetSnapshot | undefined, string[]]> {
    const [snap, error] = await attempt(() => this.run.target.snapshot(SCOPE))
    if (error) {
      this.run.errors.push(messageOf(error))
      return [undefined, [`snapshot() threw: ${messageOf(error)}`]]
    }
    const problems = checkSnapshot(snap, SCOPE)
    return [problems.length ? undefined : snap, problems.map((p) => `snapshot(): ${p}`)]
  }

  /** Problems of applying `commands`: a throw, broken results, or (live, or `wants`) a command not done. */
  async apply(commands: PlannedCommand[], testOnly: boolean, wants?: string): Promise<string[]> {
    const [results, error] = await attempt(() => this.run.target.apply(commands, { testOnly }))
    if (error) {
      this.run.errors.push(messageOf(error))
      return [`apply() threw: ${messageOf(error)}; the contract wants one result per command`]
    }
    const broken = checkCommandResults(results, commands)
    return broken.length ? broken : testOnly && !wants ? [] : notDone(results, wants)
  }

  /**
   * Applies a live batch, changes the expectations, and records the rule with every problem; then takes
   * what the target did to the users addressed as the next expectation (a failure is reported once).
   */
  async live(
    rule: string,
    commands: PlannedCommand[],
    expect: Record<string, ExpectedChange> = {},
  ): Promise<TargetSnapshot | undefined> {
    const { expected } = this
    const problems = await this.apply(commands, false)
    for (const [email, change] of Object.entries(expect)) expected.set(email, changed(expected.get(email), change))
    const [snap, snapProblems] = await this.snapshot()
    const addressed = new Set(
      commands.flatMap((c) => (c.kind === 'user' ? [c.user.email, c.update?.email ?? c.user.email].map(fold) : [])),
    )
    this.r.rule(rule, [...problems, ...snapProblems, ...(snap ? stateProblems(snap, expected, addressed) : [])])
    if (snap) for (const email of addressed) expected.set(email, adopted(snap, email, expected.get(email)))
    return snap
  }
}

/** The groups the script uses: two it creates, or two existing user groups (possibly fewer). */
interface ScriptGroups {
  /** As written in commands and expectations (the first two, lower-cased). */
  a: string | undefined
  /** Names as the target spells them. */
  spelled: string[]
  /** The `createGroup` commands (none when the target cannot create groups). */
  commands: PlannedCommand[]
  inA: string[]
  inAB: string[]
}

function scriptGroups(run: ScriptRun): ScriptGroups {
  const { createGroups } = run.target.capabilities
  // Two the script creates (spelled with capitals: commands carry them lower-cased), or existing ones.
  const spelled = createGroups
    ? ['UST Testkit A', 'UST Testkit B']
    : (run.groups ?? (run.before.groups ?? []).filter((g) => g.type === 'userGroup').map((g) => g.name)).slice(0, 2)
  const [a, b] = spelled.map(fold)
  const commands: PlannedCommand[] = createGroups
    ? spelled.map((name, i) => ({
        kind: 'createGroup',
        id: `testkit:g${i}`,
        name,
        description: 'made by the ust testkit',
      }))
    : []
  return { a, spelled, commands, inA: a ? [a] : [], inAB: [a, b].filter((g): g is string => Boolean(g)) }
}

async function checkTestMode(s: Script, creates: PlannedCommand[]): Promise<void> {
  const problems = await s.apply(creates, true)
  const [after, snapProblems] = await s.snapshot()
  s.r.rule('test mode changes nothing', [
    ...problems,
    ...snapProblems,
    ...(after && normal(after) !== normal(s.run.before)
      ? ['the snapshot changed after apply(…, {testOnly: true}); the contract wants no change']
      : []),
  ])
}

function checkCreatedGroups(r: Recorder, created: TargetSnapshot, spelled: string[]): void {
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
}

async function checkScopedSnapshot(s: Script, a: string): Promise<void> {
  const [scoped, error] = await attempt(() =>
    s.run.target.snapshot({ groups: [a.toUpperCase()], includeGroups: false }),
  )
  if (error) s.run.errors.push(messageOf(error))
  const emails = (scoped?.users ?? []).map((u) => fold(u.email))
  s.r.rule(
    'snapshot({groups}) lists only members of those groups (names compared ignoring case)',
    error
      ? [`snapshot() threw: ${messageOf(error)}`]
      : [
          ...[ANN, BOB, CARL].filter((e) => !emails.includes(e)).map((e) => `it leaves out ${e}, a member of "${a}"`),
          ...(emails.includes(DORA) ? [`it lists ${DORA}, who is in no group; the contract wants members only`] : []),
        ],
  )
}

/** The bug `checkTarget` once let through: a target keeping a working copy that test mode changes. */
async function checkTestModeBatches(s: Script, created: TargetSnapshot | undefined): Promise<void> {
  const first = await s.apply(
    [s.user(ANN, { removeFromOrg: { deleteAccount: true } }), s.user(EVE, create('Eve', 'Ely'))],
    true,
  )
  const second = await s.apply(
    [s.user(ANN, { update: { firstname: 'Ann' } })],
    true,
    `the contract wants done: ${ANN} is still in the target, because the test-mode batch before changed nothing`,
  )
  const [after, snapProblems] = await s.snapshot()
  s.r.rule('test mode across two batches: a test-mode batch leaves nothing behind for the next', [
    ...first,
    ...second,
    ...snapProblems,
    ...(after && normal(after) !== normal(created)
      ? ['the snapshot changed after two test-mode batches; the contract wants no change']
      : []),
  ])
}

/** A create of an existing user: ignored with onConflict "ignore", an update of its names with "update". */
async function checkCreateConflicts(s: Script, testMode: boolean): Promise<void> {
  const ignored = await s.live('create with onConflict "ignore" leaves an existing user as it is', [
    s.user(ANN, create('Other', 'Name', 'ignore')),
  ])
  if (testMode)
    s.r.rule(
      'test mode across batches: a live batch after test mode applies only its own commands',
      ignored && userIn(ignored, EVE)
        ? [`snapshot() lists ${EVE}, created only in test mode; the contract wants test mode never to reach the target`]
        : [],
    )
  await s.live(
    'create with onConflict "update" updates the names of an existing user',
    [s.user(ANN, create('Annie', 'Lee', 'update'))],
    { [ANN]: { firstname: 'Annie', lastname: 'Lee' } },
  )
}

/** The email and username change (unless the target declares it cannot); Carl's email afterwards. */
async function checkRename(s: Script): Promise<string> {
  const why = s.run.unsupported?.usernameChange
  if (why) {
    s.r.skip('update of email and username', why)
    return CARL
  }
  await s.live(
    'update of email and username renames the user',
    [s.user(CARL, { update: { email: CARL_RENAMED, username: CARL_RENAMED } })],
    { [CARL]: null, [CARL_RENAMED]: s.expected.get(CARL) ?? null },
  )
  return CARL_RENAMED
}

async function checkGroupChanges(s: Script, a: string, inAB: string[]): Promise<void> {
  await s.live(
    'removeGroups and addGroups change only the groups named',
    [s.user(BOB, { removeGroups: [a] }), s.user(ANN, { addGroups: inAB })],
    {
      [BOB]: { groups: s.groupsOf(BOB).filter((g) => g !== a) },
      [ANN]: { groups: [...new Set([...s.groupsOf(ANN), ...inAB])] },
    },
  )
  await s.live(`removeGroups: 'all' removes every group`, [s.user(ANN, { removeGroups: 'all' })], {
    [ANN]: { groups: [] },
  })
}

/** A second identical plan: what ust does when it re-runs after a crash. */
async function checkSecondRun(s: Script, groups: ScriptGroups): Promise<void> {
  const { a, inA } = groups
  const plan: PlannedCommand[] = [
    ...groups.commands,
    s.user(ANN, { ...create('Annie', 'Lee'), ...(a ? { addGroups: inA } : {}) }),
    s.user(BOB, { update: { lastname: 'Roe' }, removeGroups: 'all' }),
    s.user(FRED, { ...create('Fred', 'Fox'), ...(a ? { addGroups: inA } : {}) }),
    s.user(DORA, { removeFromOrg: { deleteAccount: true } }),
  ]
  const once = await s.live('a plan is applied', plan, {
    [ANN]: { groups: [...new Set([...s.groupsOf(ANN), ...inA])] },
    [BOB]: { lastname: 'Roe', groups: [] },
    [FRED]: { firstname: 'Fred', lastname: 'Fox', groups: inA },
    [DORA]: null,
  })
  s.r.rule('a second run reports one result per command, all done', await s.apply(plan, false))
  const [twice, snapProblems] = await s.snapshot()
  s.r.rule('a second run changes nothing (idempotent)', [
    ...snapProblems,
    ...(twice && once && normal(twice) !== normal(once)
      ? ['the snapshot changed on a second run of the same plan; the contract wants no change']
      : []),
  ])
}

/** Removes every user the script made; the users it did not address must be as before. */
async function checkCleanup(s: Script): Promise<void> {
  const cleaned = await s.live(
    'removeFromOrg removes every user the script made',
    [ANN, BOB, FRED].map((email) => s.user(email, { removeFromOrg: { deleteAccount: true } })),
    { [ANN]: null, [BOB]: null, [FRED]: null },
  )
  const ours = new Set(SCRIPT_EMAILS)
  if (cleaned)
    s.r.rule(
      'users the script did not address are unchanged',
      normal(cleaned, (e) => ours.has(fold(e))) === normal(s.run.before, (e) => ours.has(fold(e)))
        ? []
        : ['the other users of the snapshot changed; the contract wants commands to touch only their own user'],
    )
}
