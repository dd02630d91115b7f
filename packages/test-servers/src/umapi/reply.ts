/** What a route answers; the server adds `X-Request-Id` and writes it. */
export interface Reply {
  status: number
  /** JSON body; undefined for an empty body. */
  body?: unknown
  headers?: Record<string, string>
  /** A body sent as it is instead of `body` (an HTML page, broken JSON), with `headers` alone. */
  raw?: string
}

/** A UMAPI-style error reply `{result, message}` (400 unless given). */
export function resultError(result: string, message: string, status = 400): Reply {
  return { status, body: { result, message } }
}

/** True when `v` is a {@link Reply} rather than a parsed value. */
export function isReply(v: unknown): v is Reply {
  return typeof v === 'object' && v !== null && 'status' in v && typeof (v as { status: unknown }).status === 'number'
}
