import { lookup } from 'node:dns/promises'
import { connect as netConnect, type Socket } from 'node:net'
import { connect as tlsConnect, type TLSSocket } from 'node:tls'
import type { TlsClientCertificate } from '../client-certificates.js'

/** The error code of a socket/DNS error (`ECONNREFUSED`, `ENOTFOUND`, ...), or `ETIMEDOUT` for our timeouts. */
export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)
}

class TimeoutError extends Error {
  readonly code = 'ETIMEDOUT'
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => void = () => {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout()
      reject(new TimeoutError('timed out'))
    }, ms)
    promise.then(
      (v) => {
        clearTimeout(timer)
        resolve(v)
      },
      (e: unknown) => {
        clearTimeout(timer)
        reject(e)
      },
    )
  })
}

/** All addresses of `host` (the system resolver, as connections use it). */
export async function resolveHost(host: string, timeoutMs: number): Promise<string[]> {
  const found = await withTimeout(lookup(host, { all: true }), timeoutMs)
  return found.map((a) => a.address)
}

/** Opens a TCP connection. */
export function openTcp(host: string, port: number, timeoutMs: number): Promise<Socket> {
  const socket = netConnect({ host, port })
  const opened = new Promise<Socket>((resolve, reject) => {
    socket.once('connect', () => resolve(socket))
    socket.once('error', reject)
  })
  return withTimeout(opened, timeoutMs, () => socket.destroy())
}

/** Reads an HTTP response head (status line and headers) from `socket`. */
export function readHead(socket: Socket, timeoutMs: number): Promise<{ status: number; statusLine: string }> {
  const head = new Promise<{ status: number; statusLine: string }>((resolve, reject) => {
    let buffer = ''
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('latin1')
      const end = buffer.indexOf('\r\n\r\n')
      if (end < 0 && buffer.length < 65_536) return
      socket.off('data', onData)
      const statusLine = buffer.split('\r\n', 1)[0] ?? ''
      const match = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine)
      if (!match) reject(Object.assign(new Error(`unexpected answer "${statusLine.slice(0, 60)}"`), { code: 'EPROTO' }))
      else resolve({ status: Number(match[1]), statusLine: statusLine.trim() })
    }
    socket.on('data', onData)
    socket.once('error', reject)
    socket.once('end', () =>
      reject(Object.assign(new Error('the connection was closed without an answer'), { code: 'ECONNRESET' })),
    )
  })
  return withTimeout(head, timeoutMs, () => socket.destroy())
}

/** Asks the proxy on `socket` for a tunnel to `host:port` (HTTP CONNECT, basic auth when credentials are given). */
export async function connectTunnel(
  socket: Socket,
  target: string,
  credentials: { username?: string; password?: string },
  timeoutMs: number,
): Promise<{ status: number; statusLine: string }> {
  const lines = [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`]
  if (credentials.username !== undefined) {
    const token = Buffer.from(`${credentials.username}:${credentials.password ?? ''}`, 'utf8').toString('base64')
    lines.push(`Proxy-Authorization: Basic ${token}`)
  }
  socket.write(`${lines.join('\r\n')}\r\n\r\n`)
  return readHead(socket, timeoutMs)
}

/** TLS handshake without verification (the caller inspects `authorized` and the chain itself). */
export function handshake(
  options: { socket?: Socket; host: string; port: number; servername?: string } & TlsClientCertificate,
  timeoutMs: number,
): Promise<TLSSocket> {
  const socket = tlsConnect({ ...options, rejectUnauthorized: false })
  const done = new Promise<TLSSocket>((resolve, reject) => {
    socket.once('secureConnect', () => resolve(socket))
    socket.once('error', reject)
  })
  return withTimeout(done, timeoutMs, () => socket.destroy())
}
