/** Thrown by every check when the plugin breaks the contract; `problems` lists each violation. */
export class ContractViolation extends Error {
  constructor(
    readonly subject: string,
    readonly problems: string[],
  ) {
    super(`${subject} breaks the ust plugin contract:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ContractViolation'
  }
}

/** What a check verified (`passed`) and what it could not verify and why (`skipped`). */
export interface ConformanceReport {
  subject: string
  passed: string[]
  skipped: string[]
}

/** Collects the outcome of one check run; `finish()` throws a ContractViolation when anything failed. */
export class Recorder {
  readonly passed: string[] = []
  readonly skipped: string[] = []
  readonly problems: string[] = []

  constructor(readonly subject: string) {}

  /** Records `rule` as passed when `problems` is empty, else each problem prefixed by the rule. */
  rule(rule: string, problems: string[]): boolean {
    if (problems.length === 0) this.passed.push(rule)
    else for (const p of problems) this.problems.push(`${rule}: ${p}`)
    return problems.length === 0
  }

  skip(rule: string, why: string): void {
    this.skipped.push(`${rule} (${why})`)
  }

  finish(): ConformanceReport {
    if (this.problems.length > 0) throw new ContractViolation(this.subject, this.problems)
    return { subject: this.subject, passed: this.passed, skipped: this.skipped }
  }
}

/** Runs `fn`, turning a throw into a problem list (and the value into the first element). */
export async function attempt<T>(fn: () => T | Promise<T>): Promise<[T | undefined, unknown]> {
  try {
    return [await fn(), undefined]
  } catch (error) {
    return [undefined, error]
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
