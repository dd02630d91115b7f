import { join } from 'node:path'
import {
  CredentialError,
  type CheckResult,
  type CommandResult,
  type PlannedCommand,
  type PluginContext,
  type SnapshotScope,
  type TargetSnapshot,
  type TargetStats,
  type UserCommand,
} from '@ust-sync/api'
import { applyUser, isRoleGroup } from './apply/apply-user.js'
import { OAuthRefresh, staticToken } from './auth/token-source.js'
import { type GroupIndex, indexGroups } from './apply/wanted-state.js'
import { ReadCache } from './cache/read-cache.js'
import type { SignSettings } from './config/sign-settings.js'
import { OutcomeUnknownError, SignApiError, SignHttp } from './http/sign-http.js'
import { SignApi } from './sign-api.js'
import { type AccountUser, isActive, targetUserOf } from './snapshot/account-user.js'
import { readAccount } from './snapshot/read-account.js'

/** A live Acrobat Sign account (one per connector per run). */
export class SignTarget {
  private readonly http: SignHttp
  private readonly api: SignApi
  private readonly cache: ReadCache
  /** Users by lower-cased email (inactive ones too), from the snapshot. */
  private users = new Map<string, AccountUser>()
  private groups: GroupIndex = { byName: new Map() }

  constructor(
    private readonly settings: SignSettings,
    private readonly context: PluginContext,
  ) {
    const fetcher = context.network?.fetch ?? fetch
    const { auth } = settings
    this.http = new SignHttp({
      fetch: fetcher,
      tokens:
        auth.kind === 'token'
          ? staticToken(auth.token)
          : new OAuthRefresh({ url: settings.entryUrl, ...auth }, fetcher, context.clock),
      userAgent: context.userAgent,
      timeoutMs: settings.timeoutMs,
      retries: settings.retries,
      maxRetryAfterMs: settings.maxRetryAfterMs,
      clock: context.clock,
      logger: context.logger,
    })
    this.api = new SignApi(this.http, settings.entryUrl)
    const dir = settings.cachePath ?? join(context.dataDir, 'sign-cache')
    this.cache = new ReadCache(dir, `${settings.entryUrl} ${settings.adminEmail.toLowerCase()}`, () =>
      context.clock.now(),
    )
  }

  /** Active users (the key owner left out) and, always, the groups with the Default Group marked. */
  async snapshot(_scope: SnapshotScope): Promise<TargetSnapshot> {
    const state = await readAccount(
      this.api,
      this.cache,
      this.settings.adminEmail,
      this.settings.concurrency,
      this.context.logger,
      this.context.clock.now(),
    )
    this.users = new Map(state.users.map((u) => [u.email.toLowerCase(), u]))
    this.groups = indexGroups(state.groups)
    return {
      users: state.users.filter(isActive).map(targetUserOf),
      groups: state.groups.map((g) => ({
        name: g.groupName,
        type: 'userGroup',
        ...(g.isDefaultGroup ? { isDefault: true } : {}),
      })),
    }
  }

  /** Applies commands in order; a failed or unconfirmed command invalidates the read cache. */
  /**
   * Applies commands in order. The read cache is set aside before the first write (a run killed midway
   * leaves none) and put back only when every command is confirmed, without the users written to.
   */
  async apply(commands: PlannedCommand[], options: { testOnly: boolean }): Promise<CommandResult[]> {
    if (options.testOnly) {
      // Groups the batch would create count as existing for the users after them.
      const planned = new Set<string>()
      return commands.map((command) => this.validate(command, planned))
    }
    const cached = await this.cache.load()
    const savedAt = await this.cache.savedAt()
    await this.cache.invalidate()
    const results: CommandResult[] = []
    const touched = new Set<string>()
    for (const command of commands) results.push(await this.applyOne(command, touched))
    if (savedAt !== undefined && results.every((r) => r.status === 'done'))
      await this.cache.save(
        [...cached.values()].filter((u) => !touched.has(u.id)),
        savedAt,
      )
    return results
  }

  private validate(command: PlannedCommand, planned: Set<string>): CommandResult {
    if (command.kind === 'createGroup') {
      planned.add(command.name.toLowerCase())
      return { commandId: command.id, status: 'done' }
    }
    const problem = this.refusal(command) ?? this.unknownGroup(command, planned)
    return problem
      ? { commandId: command.id, status: 'failed', errors: [{ code: problem.code, message: problem.message }] }
      : { commandId: command.id, status: 'done' }
  }

  private refusal(command: UserCommand): { code: string; message: string } | undefined {
    if (command.user.email.toLowerCase() === this.settings.adminEmail.toLowerCase())
      return { code: 'UST_KEY_OWNER', message: 'the integration key owner (admin_email) is never changed' }
    return undefined
  }

  private unknownGroup(
    command: UserCommand,
    planned: ReadonlySet<string>,
  ): { code: string; message: string } | undefined {
    const missing = (command.addGroups ?? []).find(
      (g) => !isRoleGroup(g) && !this.groups.byName.has(g.toLowerCase()) && !planned.has(g.toLowerCase()),
    )
    return missing ? { code: 'UST_UNKNOWN_GROUP', message: `no Sign group named "${missing}"` } : undefined
  }

  private async applyOne(command: PlannedCommand, touched: Set<string>): Promise<CommandResult> {
    try {
      if (command.kind === 'createGroup') {
        await this.createGroup(command.name)
        return { commandId: command.id, status: 'done' }
      }
      const refused = this.refusal(command)
      if (refused) return { commandId: command.id, status: 'failed', errors: [refused] }
      const outcome = await applyUser(this.api, command, this.users.get(command.user.email.toLowerCase()), this.groups)
      if (outcome.id) touched.add(outcome.id)
      return { commandId: command.id, status: 'done' }
    } catch (error) {
      if (error instanceof CredentialError) throw error
      const message = error instanceof Error ? error.message : String(error)
      if (error instanceof OutcomeUnknownError)
        return { commandId: command.id, status: 'unknown', errors: [{ code: error.code, message }] }
      const code = error instanceof SignApiError ? error.signCode : 'target.sign.error'
      return { commandId: command.id, status: 'failed', errors: [{ code, message }] }
    }
  }

  private async createGroup(name: string): Promise<void> {
    if (this.groups.byName.has(name.toLowerCase())) return
    try {
      const id = await this.api.createGroup(name)
      this.groups.byName.set(name.toLowerCase(), { groupId: id, groupName: name })
    } catch (error) {
      if (!(error instanceof SignApiError && error.signCode === 'GROUP_ALREADY_EXISTS')) throw error
      // Created by an earlier run whose reply was lost: read the groups again.
      this.groups = indexGroups(await this.api.listGroups())
    }
  }

  /** `ust net check`: base URI discovery with the key, then one page of users (scope `user_read`). */
  async check(): Promise<CheckResult[]> {
    const started = this.context.clock.now()
    const entry = `${this.settings.entryUrl}/api/rest/v6/baseUris`
    try {
      const root = await this.api.apiRoot()
      await this.api.listGroups()
      return [
        {
          name: 'Acrobat Sign integration key',
          endpoint: entry,
          status: 'ok',
          detail: `accepted; API access point ${new URL(root).origin}`,
          durationMs: this.context.clock.now() - started,
        },
      ]
    } catch (error) {
      return [
        {
          name: 'Acrobat Sign integration key',
          endpoint: entry,
          status: 'fail',
          detail: error instanceof Error ? error.message : String(error),
          suggestion: 'Check host and the integration key in connector-sign.yml',
        },
      ]
    }
  }

  stats(): TargetStats {
    return { requests: this.http.requests, rateLimitWaitMs: this.http.throttledMs }
  }
}
