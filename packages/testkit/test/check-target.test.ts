import { describe, expect, it } from 'vitest'
import { checkTarget, type ContractViolation } from '../src/index.js'
import { type Defects, memoryTarget } from './fixtures/memory-target.js'

const org = () => ({
  users: [
    {
      identityType: 'federatedID' as const,
      email: 'someone@corp.example',
      username: 'someone@corp.example',
      domain: 'corp.example',
      groups: ['Existing'],
    },
  ],
  groups: [{ name: 'Existing', type: 'userGroup' as const }],
})

const problemsOf = async (defects: Defects): Promise<string[]> => {
  try {
    await checkTarget(memoryTarget(org(), defects), { fresh: () => ({}) })
  } catch (error) {
    return (error as ContractViolation).problems
  }
  return []
}

describe('checkTarget runs the default script', () => {
  it('passes a target that keeps the contract, every step checked', async () => {
    const report = await checkTarget(memoryTarget(org()), { fresh: () => ({}) })
    expect(report.skipped).toEqual([])
    expect(report.passed).toEqual([
      'definition has kind, id, description and create()',
      'connector schema rejects unknown keys',
      'create() returns a target without throwing',
      'capabilities say testMode and createGroups',
      'endpoints() lists {name, url}',
      'snapshot() resolves',
      'snapshot() returns users (and groups when asked) as the contract describes',
      'test mode changes nothing',
      'create: new users get their names and groups',
      'createGroup: snapshot({includeGroups}) lists the group as a userGroup',
      'snapshot({groups}) lists only members of those groups (names compared ignoring case)',
      'test mode across two batches: a test-mode batch leaves nothing behind for the next',
      'create with onConflict "ignore" leaves an existing user as it is',
      'test mode across batches: a live batch after test mode applies only its own commands',
      'create with onConflict "update" updates the names of an existing user',
      'update changes the names it is given, and only those',
      'update of email and username renames the user',
      'removeGroups and addGroups change only the groups named',
      "removeGroups: 'all' removes every group",
      'removeFromOrg without deleteAccount removes the user from the organisation',
      'removeFromOrg with deleteAccount deletes the user',
      'a plan is applied',
      'a second run reports one result per command, all done',
      'a second run changes nothing (idempotent)',
      'removeFromOrg removes every user the script made',
      'users the script did not address are unchanged',
      'secrets never appear in logs or error messages',
    ])
  })

  it('catches a test mode that leaks into the next batch (which one test-mode batch and a snapshot miss)', async () => {
    const ann = 'ust-testkit-ann@example.com'
    expect(await problemsOf({ leakyTestMode: true })).toEqual([
      `test mode across two batches: a test-mode batch leaves nothing behind for the next: apply() reported testkit:7 failed (user.failed: no user ${ann}); the contract wants done: ${ann} is still in the target, because the test-mode batch before changed nothing`,
      `create with onConflict "ignore" leaves an existing user as it is: snapshot() lists ${ann} in groups []; the contract wants ["ust testkit a"]`,
      `create with onConflict "ignore" leaves an existing user as it is: snapshot() names ${ann} "Other Name"; the contract wants "Ann Lee"`,
      'test mode across batches: a live batch after test mode applies only its own commands: snapshot() lists ust-testkit-eve@example.com, created only in test mode; the contract wants test mode never to reach the target',
    ])
  })

  it('says what the target did and what the contract wants', async () => {
    const [ann, bob] = ['ust-testkit-ann@example.com', 'ust-testkit-bob@example.com']
    expect(await problemsOf({ ignoresRemoveAll: true })).toEqual([
      `removeGroups: 'all' removes every group: snapshot() lists ${ann} in groups ["ust testkit a","ust testkit b"]; the contract wants []`,
      `a plan is applied: snapshot() lists ${bob} in groups ["ust testkit b"]; the contract wants []`,
    ])
    expect(await problemsOf({ ignoresOnConflictUpdate: true })).toEqual([
      `create with onConflict "update" updates the names of an existing user: snapshot() names ${ann} "Ann Lee"; the contract wants "Annie Lee"`,
    ])
  })

  it('reports a missing command result', async () => {
    expect((await problemsOf({ dropsResults: true })).slice(0, 2)).toEqual([
      'test mode changes nothing: results: no result for 1 of 6 commands (testkit:g0)',
      'create: new users get their names and groups: results: no result for 1 of 6 commands (testkit:g0)',
    ])
  })

  it("skips what the target says it cannot do, and runs the author's own batch", async () => {
    const report = await checkTarget(memoryTarget(org()), {
      fresh: () => ({}),
      unsupported: { usernameChange: 'usernames are immutable in this service' },
      commands: [
        {
          kind: 'user',
          id: 'own:1',
          user: {
            identityType: 'federatedID',
            email: 'own@example.com',
            username: 'own@example.com',
            domain: 'example.com',
          },
          create: { firstname: 'O', lastname: 'W', onConflict: 'ignore' },
          addGroups: ['existing'],
        },
      ],
    })
    expect(report.skipped).toEqual(['update of email and username (usernames are immutable in this service)'])
    expect(report.passed.filter((p) => p.startsWith('commands: '))).toEqual([
      'commands: snapshot() resolves',
      'commands: apply() in test mode resolves',
      'commands: apply() in test mode returns one result per command',
      'commands: snapshot() after test mode',
      'commands: test mode changes nothing',
      'commands: apply() resolves',
      'commands: apply() returns one result per command',
      'commands: apply() carries out the batch',
      'commands: snapshot() after apply',
      'commands: a second run of the user commands resolves',
      'commands: a second run reports one result per command, all done',
      'commands: snapshot() after the second run',
      'commands: a second run changes nothing (idempotent)',
    ])
  })
})
