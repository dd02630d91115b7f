import { Args } from '@oclif/core'
import * as Flags from '@oclif/core/flags'
import { UstCommand } from '../../base-command.js'
import { PLAN_SECTIONS, type PlanShowResult, PlanService } from '../../services/plan-service.js'

export default class PlanShow extends UstCommand {
  static description =
    `Show a plan saved with \`ust sync --plan-out FILE\`, for a person to review: counts first, then users created, updated (field: old → new), group memberships, Adobe-only users removed or deleted, and groups created.

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
    const plans = this.services.resolve(PlanService)
    const result = await plans.show(args.file, flags.only)
    if (!this.jsonEnabled()) for (const line of plans.render(result, process.stdout)) this.log(line)
    return result
  }
}
