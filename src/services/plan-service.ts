import { injectable } from 'tsyringe'
import { readPlanFile } from '../run/plan-file.js'
import { onlySections, type PlanSection, type PlanView, planView } from '../sync/plan-view.js'
import { terminalPaint } from '../log/terminal-paint.js'
import { headline, type PlanSource, renderPlanView } from '../sync/render-plan-view.js'

export { PLAN_SECTIONS } from '../sync/plan-view.js'

/** The typed result of `ust plan show` (what `--json` prints). */
export interface PlanShowResult extends PlanSource {
  /** The view's first line: whether and how the plan removes anyone. */
  headline: string
  /** The section asked for with `--only`, if any (the other lists are then empty). */
  only?: PlanSection
  view: PlanView
}

/** Reads a saved plan (digest checked) and turns it into the view a person reviews. */
@injectable()
export class PlanService {
  async show(file: string, only?: PlanSection): Promise<PlanShowResult> {
    const saved = await readPlanFile(file)
    const view = planView(saved.plan)
    return {
      file,
      createdAt: saved.createdAt,
      digest: saved.digest,
      headline: headline(view),
      ...(only ? { only } : {}),
      view: onlySections(view, only),
    }
  }

  /** The result as lines for a person; colours only when `stream` is a terminal that takes them. */
  render(result: PlanShowResult, stream: NodeJS.WriteStream): string[] {
    return renderPlanView(result.view, result, result.only, terminalPaint(stream))
  }
}
