import type { CommandResult } from '@ust-sync/api'

/** Results of one target's commands, in plan order. */
export interface TargetExecution {
  target: string
  results: CommandResult[]
}

/** What executing a plan did, per target in execution order. */
export interface ExecutionReport {
  targets: TargetExecution[]
}
