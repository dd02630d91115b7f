import * as Flags from '@oclif/core/flags'
import { UstCommand } from '../base-command.js'
import { PlanService } from '../services/plan-service.js'
import { rawSyncFlags, syncOptionFlags } from '../services/sync-flags.js'
import { SyncService } from '../services/sync-service.js'
import type { SyncResult } from '../sync/summary.js'

/** The `ust sync` options UST's `sign-sync` takes (the rest come from sign-sync-config.yml). */
const SIGN_FLAGS = ['users', 'test-mode', 'allow-directory-drop'] as const

export default class SignSync extends UstCommand {
  static description = `Bring Acrobat Sign accounts in line with the directory: UST's sign-sync, with plan/apply.

Reads UST's sign-sync-config.yml and connector-sign.yml unchanged (sign_orgs, identity_source, user_management, user_sync, cache, logging, invocation_defaults), on the engine, lock, limits and summary of ust sync.`
  static examples = [
    '<%= config.bin %> sign-sync -c sign-sync-config.yml -t',
    '<%= config.bin %> sign-sync --users group "Sales,Legal" --plan-out plan.json',
    '<%= config.bin %> sign-sync --plan plan.json',
  ]
  static flags = {
    ...Object.fromEntries(SIGN_FLAGS.map((f) => [f, syncOptionFlags[f]])),
    'plan-out': Flags.string({
      description: 'write the plan to FILE and stop (no change to any Sign account)',
      exclusive: ['plan'],
    }),
    plan: Flags.string({ description: 'apply a plan saved with --plan-out, after checking it still fits' }),
    report: Flags.string({
      description:
        'write a self-contained HTML report of the run (summary, every change, failures, warnings) to FILE.html, readable by its owner only',
    }),
    'metrics-file': Flags.string({
      description:
        'write Prometheus metrics (text format, for node_exporter textfile collector) to FILE at the end of the run',
    }),
  }

  async run(): Promise<SyncResult> {
    const { flags } = await this.parse(SignSync)
    const result = await this.services.resolve(SyncService).run({
      location: { configFile: flags.config ?? 'sign-sync-config.yml', cwd: process.cwd() },
      flags: rawSyncFlags(flags),
      planOut: flags['plan-out'],
      planIn: flags.plan,
      metricsFile: flags['metrics-file'],
      report: flags.report,
      kind: 'sign',
    })
    if (result.planFile && !this.jsonEnabled()) {
      const plans = this.services.resolve(PlanService)
      this.log('')
      for (const line of plans.render(await plans.show(result.planFile), process.stdout)) this.log(line)
    }
    return this.finish(result, result.exitCode)
  }
}
