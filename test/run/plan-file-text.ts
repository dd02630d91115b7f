import { createHash } from 'node:crypto'
import { canonicalJson, Rebuilder, recordLines } from '../../src/run/plan-stream.js'

/** A plan file's parts, as a test reads them to look inside or to forge one. */
export interface PlanFileParts {
  header: { format: string; version: number; createdAt: string; fingerprint: string }
  // biome-ignore lint/suspicious/noExplicitAny: tests reach into any part of the plan
  plan: any
  digest: string
}

/** Splits a plan file's text into its header, plan and digest (no check: tests forge files with it). */
export function parsePlanText(text: string): PlanFileParts {
  const lines = text.trimEnd().split('\n')
  const rebuilder = new Rebuilder()
  lines.slice(1, -1).forEach((line, i) => {
    rebuilder.add(line, i + 2)
  })
  return {
    header: JSON.parse(lines[0] as string),
    plan: rebuilder.value(),
    digest: JSON.parse(lines.at(-1) as string).digest,
  }
}

/** A plan file's text from its parts; `digest` given keeps it (an edit without re-signing), else re-signed. */
export function planText(parts: Omit<PlanFileParts, 'digest'> & { digest?: string }): string {
  const body = [canonicalJson(parts.header), ...recordLines(parts.plan)].map((l) => `${l}\n`).join('')
  const digest = parts.digest ?? createHash('sha256').update(body).digest('hex')
  return `${body}${JSON.stringify({ digest })}\n`
}
