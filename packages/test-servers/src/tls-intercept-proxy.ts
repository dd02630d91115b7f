import { createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { connect as tlsConnect, TLSSocket } from 'node:tls'

/** A TLS-inspecting HTTP proxy, as corporate firewalls do it. */
export interface InterceptingProxy {
  port: number
  url: string
  /** `host:port` of every CONNECT it served. */
  connects: string[]
  close(): Promise<void>
}

/**
 * Starts an HTTP proxy on 127.0.0.1 that answers CONNECT, terminates the client's TLS with `cert`
 * (issued by a "corporate" CA the client does not know), opens its own TLS connection to the real
 * server (trusting `upstreamCa`) and relays the plaintext both ways: what a TLS-inspecting proxy does.
 */
export async function startInterceptingProxy(options: {
  key: string
  cert: string
  upstreamCa: string
}): Promise<InterceptingProxy> {
  const connects: string[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((_req, res) => {
    res.writeHead(405).end('CONNECT only')
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('connect', (req, clientSocket: Socket, head: Buffer) => {
    const target = req.url ?? ''
    connects.push(target)
    const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target)
    if (!match) {
      clientSocket.end('HTTP/1.1 400 Bad Request\r\n\r\n')
      return
    }
    const [, host, port] = match
    clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    if (head.length) clientSocket.unshift(head)
    const inbound = new TLSSocket(clientSocket, { isServer: true, key: options.key, cert: options.cert })
    const upstream = tlsConnect({ host, port: Number(port), servername: host, ca: [options.upstreamCa] })
    inbound.on('error', () => upstream.destroy())
    upstream.on('error', () => inbound.destroy())
    inbound.pipe(upstream).pipe(inbound)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
