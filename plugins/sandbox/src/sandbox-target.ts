import { realpathSync } from 'node:fs'
import type {
  CheckResult,
  CommandResult,
  Endpoint,
  Logger,
  PlannedCommand,
  SnapshotScope,
  Target,
  TargetSnapshot,
} from '@ust-sync/api'

/** The org file and model, loaded on first use: registering the plugin loads only this class. */
const orgFile = () => import('./org-file.js')
const orgModel = () => import('./org-model.js')

/**
 * A target whose organisation is a local JSON file, for rehearsing a configuration offline. Every call
 * reads the file afresh; `apply` writes it back atomically, and only when something changed.
 */
export class SandboxTarget implements Target {
  readonly capabilities = { testMode: true, createGroups: true }

  constructor(
    private readonly file: string,
    private readonly name: string,
    private readonly logger: Logger,
  ) {}

  /** None: the org is a local file. */
  endpoints(): Endpoint[] {
    return []
  }

  /** The org is the file, wherever the connector file naming it lives: its real path (links resolved). */
  identity(): string {
    try {
      return `sandbox:${realpathSync(this.file)}`
    } catch {
      return `sandbox:${this.file}`
    }
  }

  async snapshot(scope: SnapshotScope): Promise<TargetSnapshot> {
    const [{ readOrgFile }, { snapshotOf }] = await Promise.all([orgFile(), orgModel()])
    return snapshotOf(await readOrgFile(this.file), scope)
  }

  async apply(commands: PlannedCommand[], options: { testOnly: boolean }): Promise<CommandResult[]> {
    const [{ readOrgFile, writeOrgFile }, { applyCommands }] = await Promise.all([orgFile(), orgModel()])
    const before = await readOrgFile(this.file)
    const { org, results } = applyCommands(before, commands, options)
    if (!options.testOnly && JSON.stringify(org) !== JSON.stringify(before)) {
      await writeOrgFile(this.file, org)
      this.logger.debug(`sandbox ${this.name}: wrote ${this.file}`)
    }
    return results
  }

  /** Checks that the org file can be read and is valid. */
  async check(): Promise<CheckResult[]> {
    const started = Date.now()
    try {
      const org = await (await orgFile()).readOrgFile(this.file)
      const detail = `${org.users.length} users, ${org.groups.length} groups`
      return [{ name: 'sandbox org file', endpoint: this.file, status: 'ok', detail, durationMs: Date.now() - started }]
    } catch (error) {
      const suggestion = (error as { suggestions?: string[] }).suggestions?.[0]
      return [
        {
          name: 'sandbox org file',
          endpoint: this.file,
          status: 'fail',
          detail: (error as Error).message,
          ...(suggestion === undefined ? {} : { suggestion }),
        },
      ]
    }
  }
}
