import * as Flags from '@oclif/core/flags'
import { UstCommand } from '../base-command.js'
import { rawSyncFlags, syncOptionFlags } from '../services/sync-flags.js'
import { PlanService } from '../services/plan-service.js'
import { SyncService } from '../services/sync-service.js'
import type { SyncResult } from '../sync/summary.js'

export default class Sync extends UstCommand {
  static description = `Bring the target (Adobe org) in line with the directory: UST's sync, with plan/apply.

Reads UST's config files unchanged. Options and defaults are UST's; invocation_defaults in the main config apply beneath the flags.`
  static examples = [
    '<%= config.bin %> sync -c user-sync-config.yml --process-groups --users mapped -t',
    '<%= config.bin %> sync --users group "Design,Marketing" --adobe-only-user-action remove',
    '<%= config.bin %> sync --connector csv users.csv --plan-out plan.json',
    '<%= config.bin %> sync --plan plan.json',
  ]
  static flags = {
    ...UstCommand.encodingFlag,
    ...syncOptionFlags,
    'plan-out': Flags.string({
      description: 'write the plan to FILE and stop (no change to any target)',
      exclusive: ['plan'],
    }),
    plan: Flags.string({ description: 'apply a plan saved with --plan-out, after checking it still fits' }),
    report: Flags.string({
      description:
        'write a self-contained HTML report of the run (summary, every change, failures, warnings) to FILE.html, readable by its owner only',
    }),
    'metrics-file': Flags.string({
      description:
        'write Prometheus metrics (text format, for node_exporter textfile collector) to FILE at the end of the run; overrides metrics_file in the config',
    }),
  }

  async run(): Promise<SyncResult> {
    const { flags } = await this.parse(Sync)
    const result = await this.services.resolve(SyncService).run({
      location: { configFile: flags.config, cwd: process.cwd(), encoding: flags['config-file-encoding'] },
      flags: rawSyncFlags(flags),
      planOut: flags['plan-out'],
      planIn: flags.plan,
      metricsFile: flags['metrics-file'],
      report: flags.report,
    })
    // --plan-out: the plan as `ust plan show` shows it, read back from the file just written.
    if (result.planFile && !this.jsonEnabled()) {
      const plans = this.services.resolve(PlanService)
      this.log('')
      for (const line of plans.render(await plans.show(result.planFile), process.stdout)) this.log(line)
    }
    return this.finish(result, result.exitCode)
  }
}
