import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib'
import { ConfigError, NetworkError } from '@ust-sync/api'
import ky from 'ky'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNetworkAccess } from '../../src/network/network-fetch.js'
import { MAX_DECODED_BYTES } from '../../src/network/node-fetch.js'
import { resolveNetworkSettings } from '../../src/network/settings.js'
import { createAuthority } from '@ust-sync/test-servers'

// The fetch plugins receive (context.network.fetch) runs on node:http(s); these are the parts of fetch's
// behaviour plugins rely on, checked against a real server on loopback.
interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}
let server: Server
let base: string
const seen: Seen[] = []
const unanswered: ServerResponse[] = []
const routes: Record<string, (req: IncomingMessage, res: ServerResponse, body: string) => void> = {
  '/echo': (req, res, body) => {
    res.setHeader('content-type', 'application/json')
    res.setHeader('set-cookie', ['a=1', 'b=2'])
    res.statusCode = 201
    res.end(JSON.stringify({ method: req.method, body, type: req.headers['content-type'] }))
  },
  '/gzip': (_req, res) => {
    res.setHeader('content-encoding', 'gzip')
    res.end(gzipSync('zipped ü'))
  },
  '/br': (_req, res) => {
    res.setHeader('content-encoding', 'br')
    res.end(brotliCompressSync('brotli'))
  },
  '/deflate': (_req, res) => {
    res.setHeader('content-encoding', 'deflate')
    res.end(deflateSync('deflated'))
  },
  '/empty': (_req, res) => {
    res.statusCode = 204
    res.end()
  },
  '/see-other': (_req, res) => {
    res.writeHead(303, { location: '/echo' }).end()
  },
  '/keep-method': (_req, res) => {
    res.writeHead(307, { location: '/echo' }).end()
  },
  '/elsewhere': (_req, res) => {
    // The same server under another name: another origin, so credentials must not follow.
    res.writeHead(302, { location: base.replace('127.0.0.1', 'localhost').concat('/echo') }).end()
  },
  '/to-plain-http': (_req, res) => {
    res.writeHead(302, { location: 'http://example.com/steal' }).end()
  },
  '/gzip-bomb': (_req, res) => {
    // ~1 MB of deflate that decodes to just past the limit.
    res.setHeader('content-encoding', 'deflate')
    res.end(deflateSync(Buffer.alloc(MAX_DECODED_BYTES + 1), { level: 1 }))
  },
  '/three-mib': (_req, res) => {
    // Plain (not compressed), in 64 KiB pieces, as a misbehaving server would stream it.
    for (let i = 0; i < 48; i++) res.write(Buffer.alloc(65_536, 120))
    res.end()
  },
  '/corrupt-gzip': (_req, res) => {
    res.setHeader('content-encoding', 'gzip')
    res.end('not gzip at all')
  },
  '/to-secret': (_req, res) => {
    res.writeHead(302, { location: 'https://user:pw-in-url@example.com/cb?token=tok-in-url' }).end()
  },
  '/loop': (_req, res) => {
    res.writeHead(302, { location: '/loop' }).end()
  },
  '/hang-up': (req) => {
    req.socket.destroy()
  },
  '/slow': (_req, res) => {
    // Never answered: the connection is closed with the server.
    unanswered.push(res)
  },
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      const route = routes[new URL(req.url ?? '/', 'http://x').pathname]
      if (route) route(req, res, body)
      else res.writeHead(404).end('no such route')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

const logger = { debug() {}, info() {}, warn() {}, error() {} }
const access = createNetworkAccess(resolveNetworkSettings({}, {}, 'test'), logger)
const last = (): Seen => seen[seen.length - 1]!

describe("the core's fetch (node:http/https)", () => {
  it('sends method, headers and body, and answers status, all headers and the body', async () => {
    const response = await access.fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: '{"a":1}',
    })
    expect(response.status).toBe(201)
    expect(response.ok).toBe(true)
    expect(response.url).toBe(`${base}/echo`)
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(await response.json()).toEqual({ method: 'POST', body: '{"a":1}', type: 'application/json' })
    expect(last().headers).toMatchObject({ authorization: 'Bearer t', 'content-length': '7' })
  })

  it('takes a Request as ky builds it (ky over this fetch sends the same request)', async () => {
    const api = ky.create({ fetch: access.fetch, retry: 0 })
    expect(await api.post(`${base}/echo`, { json: { x: 'é' } }).json()).toEqual({
      method: 'POST',
      body: '{"x":"é"}',
      type: 'application/json',
    })
    // A body read in chunks and left unlocked: ky cancels every request's body afterwards, which must not fail.
    const chunks = ['{"part":', '"one', ' and two"}']
    const request = new Request(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        pull(controller) {
          const chunk = chunks.shift()
          if (chunk === undefined) controller.close()
          else controller.enqueue(new TextEncoder().encode(chunk))
        },
      }),
      duplex: 'half',
    } as RequestInit)
    expect(await (await access.fetch(request)).json()).toMatchObject({ body: '{"part":"one and two"}' })
    expect(request.body?.locked).toBe(false)
    await expect(request.body?.cancel()).resolves.toBeUndefined()
  })

  it('decodes gzip, br and deflate bodies and drops the encoding headers it decoded', async () => {
    const zipped = await access.fetch(`${base}/gzip`)
    expect(await zipped.text()).toBe('zipped ü')
    expect(zipped.headers.get('content-encoding')).toBeNull()
    expect(last().headers['accept-encoding']).toBe('gzip, deflate, br')
    expect(await (await access.fetch(`${base}/br`)).text()).toBe('brotli')
    expect(await (await access.fetch(`${base}/deflate`)).text()).toBe('deflated')
  })

  it('words a reply whose body is not valid in its Content-Encoding, without saying the host was unreachable', async () => {
    const error = await access.fetch(`${base}/corrupt-gzip`).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as NetworkError).message).toBe(
      `The reply from ${base}/corrupt-gzip could not be decoded (gzip: incorrect header check)`,
    )
    expect((error as NetworkError).code).toBe('network.bad-reply')
  })

  it('refuses a compressed reply that decodes to more than the limit (a zip bomb), naming the limit', async () => {
    const error = await access.fetch(`${base}/gzip-bomb`).catch((e: unknown) => e)
    expect((error as NetworkError).message).toBe(
      `The reply from ${base}/gzip-bomb could not be decoded (deflate: it decodes to more than 256 MiB)`,
    )
    expect((error as NetworkError).code).toBe('network.bad-reply')
  }, 30_000)

  it('gives no body for 204 and HEAD', async () => {
    const empty = await access.fetch(`${base}/empty`)
    expect(empty.status).toBe(204)
    expect(empty.body).toBeNull()
    expect((await access.fetch(`${base}/echo`, { method: 'HEAD' })).body).toBeNull()
  })

  it('follows redirects as fetch does: 303 becomes a GET, 307 keeps method and body', async () => {
    const other = await access.fetch(`${base}/see-other`, { method: 'POST', body: 'x' })
    expect(await other.json()).toMatchObject({ method: 'GET', body: '' })
    expect(other.redirected).toBe(true)
    const same = await access.fetch(`${base}/keep-method`, { method: 'POST', body: 'kept' })
    expect(await same.json()).toMatchObject({ method: 'POST', body: 'kept' })
  })

  it('keeps only harmless headers when a redirect changes the origin: no Authorization, cookie or API key', async () => {
    await access.fetch(`${base}/elsewhere`, {
      headers: { authorization: 'Bearer secret', 'x-api-key': 'key-secret', cookie: 'a=1', accept: 'application/json' },
    })
    expect(last().url).toBe('/echo')
    expect(last().headers.authorization).toBeUndefined()
    expect(last().headers['x-api-key']).toBeUndefined()
    expect(last().headers.cookie).toBeUndefined()
    expect(last().headers.accept).toBe('application/json')
    await access.fetch(`${base}/keep-method`, { method: 'POST', body: 'kept', headers: { 'x-api-key': 'same-origin' } })
    expect(last().headers['x-api-key']).toBe('same-origin')
  })

  it('refuses a plain reply larger than network.max_reply_mb, naming the limit', async () => {
    const small = createNetworkAccess(resolveNetworkSettings({ max_reply_mb: 1 }, {}, 'test'), logger)
    const error = await small.fetch(`${base}/three-mib`).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as NetworkError).message).toBe(
      `The reply from ${base}/three-mib could not be decoded (the reply is larger than 1 MiB (network.max_reply_mb))`,
    )
    expect((await (await access.fetch(`${base}/three-mib`)).arrayBuffer()).byteLength).toBe(48 * 65_536)
  })

  it('returns the redirect itself with redirect: manual, and refuses one with redirect: error', async () => {
    const manual = await access.fetch(`${base}/see-other`, { redirect: 'manual' })
    expect(manual.status).toBe(303)
    expect(manual.headers.get('location')).toBe('/echo')
    await expect(access.fetch(`${base}/see-other`, { redirect: 'error' })).rejects.toThrow(NetworkError)
    // A refused redirect is named by its origin: what the Location carried beyond it never reaches a message.
    const refused = await access.fetch(`${base}/to-secret`, { redirect: 'error' }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(NetworkError)
    expect(String((refused as Error).message)).not.toMatch(/pw-in-url|tok-in-url/)
  })

  it('refuses a redirect to plain http:// on another machine, before connecting to it', async () => {
    const error = await access.fetch(`${base}/to-plain-http`).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).message).toContain('http://example.com is plain http://')
  })

  it('stops an endless redirect', async () => {
    const before = seen.length
    await expect(access.fetch(`${base}/loop`)).rejects.toThrow(NetworkError)
    expect(seen.length - before).toBe(21)
  })

  it('words a connection closed without a reply, and passes an abort through as it is', async () => {
    await expect(access.fetch(`${base}/hang-up`)).rejects.toThrow(
      /The connection to 127\.0\.0\.1:\d+ was closed before the reply arrived \(closed by the other side\)/,
    )
    const aborted = await access.fetch(`${base}/slow`, { signal: AbortSignal.timeout(200) }).catch((e: unknown) => e)
    expect((aborted as Error).name).toBe('TimeoutError')
    // The abort ended the call while the server still held the reply back (it never sends one).
    expect(unanswered.map((res) => res.writableEnded)).toEqual([false])
  })

  it('skips TLS verification only for the hosts it was told, over https', async () => {
    const ca = createAuthority('Node Fetch Test CA')
    const { keyPem, certPem } = ca.issue({ commonName: 'localhost' })
    const tlsServer = createHttpsServer({ key: keyPem, cert: certPem }, (_req, res) => res.end('over tls'))
    await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r))
    const port = (tlsServer.address() as { port: number }).port
    try {
      const insecure = access.unverifiedFetch(['localhost'], 'test')
      expect(await (await insecure(`https://localhost:${port}/`)).text()).toBe('over tls')
      await expect(access.fetch(`https://localhost:${port}/`)).rejects.toThrow('is not trusted')
      await expect(insecure(`https://127.0.0.1:${port}/`)).rejects.toThrow('is not trusted')
    } finally {
      tlsServer.closeAllConnections()
      await new Promise((r) => tlsServer.close(r))
      ca.remove()
    }
  })

  it('does not send a request on a kept-alive connection the server dropped while ust was busy', async () => {
    // What ust meets while it maps a large directory: a reply arrives while this process is busy, the server
    // closes the idle connection (after its keep-alive timeout), and the next request goes out as soon as
    // the reply is handled, on that connection, before its close is seen. The server is another process;
    // it answers after 100 ms and drops a connection idle for 300 ms without saying so in advance (as load
    // balancers do; Node's agent honours an announced Keep-Alive timeout by itself).
    // The server reports each connection, request and drop on stderr; a drop also creates `dropped-<n>`, so
    // the busy (blocked) test can watch for it synchronously.
    const marks = mkdtempSync(join(tmpdir(), 'ust-keepalive-'))
    const child: ChildProcess = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('node:fs'); let drops = 0
         const s = require('node:http').createServer((q, r) => { const sock = q.socket; sock.busy = (sock.busy ?? 0) + 1; q.resume(); q.on('end', () => setTimeout(() => r.end(q.method, () => { sock.busy--; setTimeout(() => { if (sock.busy) return; sock.destroy(); fs.writeFileSync(process.argv[1] + '/dropped-' + ++drops, '') }, 300) }), 100)) })
         s.keepAliveTimeout = 60000
         let n = 0; s.on('connection', () => process.stderr.write('c' + ++n + ' '))
         s.on('request', (q) => process.stderr.write(q.method + ' '))
         s.listen(0, '127.0.0.1', () => process.stdout.write(s.address().port + '\\n'))`,
        marks,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let log = ''
    const logged = (text: string, times: number): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (log.split(text).length > times) {
            child.stderr?.off('data', check)
            resolve()
          }
        }
        child.stderr?.on('data', check)
        check()
      })
    child.stderr?.on('data', (d) => (log += d))
    try {
      const port = await new Promise<number>((r) => child.stdout?.once('data', (d) => r(Number(String(d).trim()))))
      const url = `http://127.0.0.1:${port}/`
      let drops = 0
      const busyWhileReplying = async (): Promise<void> => {
        const requests = log.split('GET').length
        const reply = access.fetch(url)
        // Busy from when the server has the request until it has replied and dropped the idle connection.
        await logged('GET', requests)
        const dropped = join(marks, `dropped-${++drops}`)
        const until = Date.now() + 20_000
        while (!existsSync(dropped) && Date.now() < until);
        expect(existsSync(dropped), 'the server did not drop the idle connection').toBe(true)
        await reply
      }
      await busyWhileReplying()
      expect(await (await access.fetch(url)).text()).toBe('GET')
      await busyWhileReplying()
      expect(await (await access.fetch(url, { method: 'POST', body: 'once' })).text()).toBe('POST')
      await logged('POST', 1)
      // After each busy spell the next request went on a new connection (c2, c3), each sent once.
      expect(log.trim().split(' ')).toEqual(['c1', 'GET', 'c2', 'GET', 'GET', 'c3', 'POST'])
    } finally {
      rmSync(marks, { recursive: true, force: true })
      child.kill()
    }
  })
})
