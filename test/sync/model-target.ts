import type { CommandResult, PlannedCommand, SnapshotScope, Target, TargetSnapshot } from '@ust-sync/api'
import { applyCommands, snapshotOf, type SandboxOrg } from '../../plugins/sandbox/src/org-model.js'

/** A target over the sandbox's pure org model, recording the order of `apply` calls. */
export class ModelTarget implements Target {
  readonly capabilities = { testMode: true, createGroups: true }
  org: SandboxOrg
  readonly name: string
  readonly log: string[]

  constructor(name: string, org: SandboxOrg, log: string[] = []) {
    this.name = name
    this.org = org
    this.log = log
  }

  endpoints(): [] {
    return []
  }

  async snapshot(scope: SnapshotScope): Promise<TargetSnapshot> {
    return snapshotOf(this.org, scope)
  }

  async apply(commands: PlannedCommand[], options: { testOnly: boolean }): Promise<CommandResult[]> {
    this.log.push(
      ...commands.map((c) => `${this.name} ${c.id}${c.kind === 'user' && c.removeFromOrg ? ' removeFromOrg' : ''}`),
    )
    const outcome = applyCommands(this.org, commands, options)
    this.org = outcome.org
    return outcome.results
  }
}

/** A sandbox org with user groups named `groups` and the given users (username/domain from the email). */
export function makeOrg(
  groups: string[],
  users: Array<{
    email: string
    groups?: string[]
    identityType?: 'adobeID' | 'enterpriseID' | 'federatedID'
    firstname?: string
  }>,
): SandboxOrg {
  return {
    groups: groups.map((name) => ({ name, type: 'userGroup' as const })),
    users: users.map((u) => ({
      identityType: u.identityType ?? 'federatedID',
      email: u.email,
      username: u.email,
      domain: u.email.slice(u.email.indexOf('@') + 1),
      firstname: u.firstname ?? 'First',
      lastname: 'Last',
      country: 'US',
      groups: u.groups ?? [],
    })),
  }
}
