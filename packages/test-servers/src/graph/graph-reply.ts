import { randomUUID } from 'node:crypto'

/** What a route answers; the server writes it. */
export interface GraphReply {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /** Sent as it is instead of `body` (broken JSON, a cut page). */
  raw?: string
}

/** Graph's error shape (graph-api.md §12): `{error: {code, message, innerError: {date, request-id, client-request-id}}}`. */
export function graphError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): GraphReply {
  const innerError = {
    date: new Date().toISOString().slice(0, 19),
    'request-id': randomUUID(),
    'client-request-id': randomUUID(),
  }
  return { status, body: { error: { code, message, innerError } }, ...(headers ? { headers } : {}) }
}

/** The token endpoint's error shape (graph-api.md §2): `error`, `error_description` starting with the AADSTS code, … */
export function tokenError(status: number, error: string, aadsts: number, description: string): GraphReply {
  const trace = randomUUID()
  const correlation = randomUUID()
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${aadsts}: ${description} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${new Date().toISOString()}`,
      error_codes: [aadsts],
      timestamp: new Date().toISOString(),
      trace_id: trace,
      correlation_id: correlation,
    },
  }
}
