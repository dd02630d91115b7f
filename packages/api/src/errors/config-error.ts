import { ExitCode } from '../exit-codes.js'
import { UstError, type UstErrorOptions } from './ust-error.js'

/** One problem found in configuration: where it is and what is wrong. */
export interface ConfigIssue {
  /** Absolute path of the file, or `command line` for a flag. */
  file: string
  /** 1-based line, when known. */
  line?: number
  /** 1-based column, when known. */
  column?: number
  /** Key path inside the file, e.g. `adobe_users.connectors.umapi` (empty for the whole file). */
  path: string
  /** What is wrong. */
  message: string
  /** What to do, e.g. `did you mean "user_identity_type"?`. */
  suggestion?: string
}

/** Formats an issue as `file:line:column: path: message (suggestion)`. */
export function formatConfigIssue(issue: ConfigIssue): string {
  const where = [issue.file, issue.line, issue.column].filter((p) => p !== undefined).join(':')
  const key = issue.path ? ` ${issue.path}:` : ''
  const hint = issue.suggestion ? ` (${issue.suggestion})` : ''
  return `${where}:${key} ${issue.message}${hint}`
}

/** The configuration (a file, a key, a flag) is invalid. Carries every problem found, not just the first. */
export class ConfigError extends UstError {
  readonly issues: ConfigIssue[]

  constructor(message: string, options: UstErrorOptions<'config'> & { issues?: ConfigIssue[] } = {}) {
    const issues = options.issues ?? []
    const detail = issues.length ? `${message}\n${issues.map((i) => `  ${formatConfigIssue(i)}`).join('\n')}` : message
    super(detail, { code: 'config', exitCode: ExitCode.config, ...options })
    this.issues = issues
  }
}
