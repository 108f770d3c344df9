// A loopback HTTP proxy for tests, as a runner's HTTPS_PROXY / HTTP_PROXY would be: CONNECT tunnels (what an agent
// opens for an https target, and for an http one when it tunnels too) and plain forward requests (an absolute URI).
// Every host is served from loopback on the port asked for, so a test can name a host no DNS knows
// (http://aws.fake.test:<port of a loopback fake>). It counts the tunnels it opened and the requests it forwarded,
// and refuses (403) the hosts in `refuse`: give it NO_PROXY's hosts, and any request that should have bypassed the
// proxy shows up in `refused` and fails.
import { createServer, request as httpRequest } from 'node:http'
import { connect } from 'node:net'

/** 'host:443' or '[::1]:443' -> { host, port } */
function splitAuthority(authority) {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(authority)
  return m ? { host: m[1], port: Number(m[2]) } : { host: authority, port: 443 }
}

/**
 * @param {import('./connect-proxy.d.mts').ConnectProxyOptions} [opts]
 * @returns {Promise<import('./connect-proxy.d.mts').ConnectProxy>}
 */
export async function startConnectProxy(opts = {}) {
  const refuse = new Set((opts.refuse ?? []).map(h => h.toLowerCase()))
  const tunnels = []
  const forwarded = []
  const refused = []
  const sockets = new Set()
  const isRefused = host => refuse.has(host.toLowerCase())

  const server = createServer((req, res) => {
    // A forward request: the request line carries the absolute URI of the target.
    let target
    try {
      target = new URL(req.url ?? '')
    } catch {
      res.writeHead(400, { 'content-length': '0' }).end()
      return
    }
    const host = target.hostname.replace(/^\[|\]$/g, '')
    if (isRefused(host)) {
      refused.push({ kind: 'forward', host, port: Number(target.port || 80) })
      res.writeHead(403, { 'content-type': 'text/plain' }).end('connect-proxy: this host is in NO_PROXY\n')
      return
    }
    forwarded.push({ method: req.method ?? 'GET', url: target.href, host, port: Number(target.port || 80) })
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: Number(target.port || 80),
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers: req.headers
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })

  server.on('connect', (req, socket, head) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    const { host, port } = splitAuthority(req.url ?? '')
    if (isRefused(host)) {
      refused.push({ kind: 'tunnel', host, port })
      socket.end(
        'HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: 38\r\n\r\nconnect-proxy: this host is in NO_PROXY'
      )
      return
    }
    if (opts.hangConnect) return // accept the CONNECT and never answer it; close() destroys the socket
    const upstream = connect(port, '127.0.0.1', () => {
      tunnels.push({ host, port })
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(socket)
      socket.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => socket.destroy())
    socket.on('close', () => upstream.destroy())
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(undefined))
  })
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())

  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    forwarded,
    refused,
    close() {
      return new Promise(resolve => {
        server.close(() => resolve(undefined))
        for (const s of sockets) s.destroy()
      })
    }
  }
}
