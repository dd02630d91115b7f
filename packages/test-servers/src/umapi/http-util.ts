import type { IncomingMessage, ServerResponse } from 'node:http'

/** Largest request body the fake accepts (bytes). */
const MAX_BODY = 1024 * 1024

/** Reads the whole request body; rejects when it exceeds 1 MiB. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buf = chunk as Buffer
    size += buf.length
    if (size > MAX_BODY) throw new Error('request body too large')
    chunks.push(buf)
  }
  return Buffer.concat(chunks)
}

/** Parses a body by content type: JSON value (or the text when it is not valid JSON), form fields, or raw text; undefined when empty. */
export function parseBody(contentType: string | undefined, raw: Buffer): unknown {
  if (raw.length === 0) return undefined
  const type = (contentType ?? '').toLowerCase()
  const text = raw.toString('utf8')
  if (type.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text))
  if (type.startsWith('multipart/form-data')) return parseMultipart(contentType ?? '', text)
  if (type.includes('json')) {
    try {
      return JSON.parse(text) as unknown
    } catch {
      return text
    }
  }
  return text
}

/** Fields of a multipart/form-data body (files are read as text); empty when the boundary is missing. */
export function parseMultipart(contentType: string, text: string): Record<string, string> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType)
  const mark = boundary?.[1] ?? boundary?.[2]
  const fields: Record<string, string> = {}
  if (!mark) return fields
  for (const part of text.split(`--${mark}`)) {
    const split = part.indexOf('\r\n\r\n')
    if (split < 0) continue
    const name = /name="([^"]*)"/i.exec(part.slice(0, split))?.[1]
    if (name !== undefined) fields[name] = part.slice(split + 4).replace(/\r\n$/, '')
  }
  return fields
}

/** Boolean query value parsed case-insensitively (`True`, `true`); `fallback` when absent; undefined when malformed. */
export function parseBool(value: string | null, fallback: boolean): boolean | undefined {
  if (value === null) return fallback
  const v = value.toLowerCase()
  return v === 'true' ? true : v === 'false' ? false : undefined
}

/** Writes a JSON response (or an empty body when `body` is undefined). */
export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body)
  res.writeHead(status, {
    ...(body === undefined ? {} : { 'Content-Type': 'application/json;charset=utf-8' }),
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  })
  res.end(text)
}
