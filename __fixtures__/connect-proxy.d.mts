// Types for connect-proxy.mjs (a loopback CONNECT and forward proxy for tests).

export interface ConnectProxyOptions {
  /** Hosts the proxy refuses with 403 (give it NO_PROXY's hosts: a request for them must never reach the proxy). */
  refuse?: string[]
  /** Accept CONNECT requests and never answer them (a proxy that hangs). */
  hangConnect?: boolean
}

export interface ProxiedTarget {
  host: string
  port: number
}

export interface ConnectProxy {
  /** http://127.0.0.1:<port>: use as HTTPS_PROXY / HTTP_PROXY. */
  url: string
  /** The CONNECT tunnels it opened, in order. */
  tunnels: ProxiedTarget[]
  /** The plain forward requests (absolute URI) it passed on. */
  forwarded: Array<ProxiedTarget & { method: string; url: string }>
  /** Requests for a host in `refuse`, answered 403. */
  refused: Array<ProxiedTarget & { kind: 'tunnel' | 'forward' }>
  /** Stops listening and destroys open sockets and tunnels. */
  close(): Promise<void>
}

export function startConnectProxy(opts?: ConnectProxyOptions): Promise<ConnectProxy>
