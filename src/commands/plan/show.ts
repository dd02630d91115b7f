import { Args } from '@oclif/core'
import * as Flags from '@oclif/core/flags'
import { UstCommand } from '../../base-command.js'
import { terminalPaint } from '../../log/terminal-paint.js'
import { type PlanShowResult, PlanService } from '../../services/plan-service.js'
import { PLAN_SECTIONS } from '../../sync/plan-view.js'
import { renderPlanView } from '../../sync/render-plan-view.js'

export default class PlanShow extends UstCommand {
  static description = `Show a plan saved with \`ust sync --plan-out FILE\`, for a person to review: counts first, then users created, updated (field: old → new), group memberships, Adobe-only users removed or deleted, and groups created.

The first line says whether the plan removes anyone. A plan edited after ust wrote it is refused.`
  static examples = [
    '<%= config.bin %> plan show plan.json',
    '<%= config.bin %> plan show plan.json --only removals',
    '<%= config.bin %> plan show plan.json --json',
  ]
  static args = { file: Args.string({ description: 'plan file written by ust sync --plan-out', required: true }) }
  static flags = {
    only: Flags.option({ options: PLAN_SECTIONS, description: 'show only this part of the plan (counts stay)' })(),
  }

  async run(): Promise<PlanShowResult> {
    const { args, flags } = await this.parse(PlanShow)
    const result = await this.services.resolve(PlanService).show(args.file, flags.only)
    if (!this.jsonEnabled())
      for (const line of renderPlanView(result.view, result, flags.only, terminalPaint(process.stdout))) this.log(line)
    return result
  }
}
