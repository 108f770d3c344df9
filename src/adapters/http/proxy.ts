import { HttpClient } from '@actions/http-client'
import { checkBypass, getProxyUrl } from '@actions/http-client/lib/proxy'
import * as http from 'node:http'
import * as https from 'node:https'
import type { Fetch } from '../../core/checks/api-key-check.js'
import { UserError } from '../../core/errors.js'

/**
 * The runner's proxy settings (HTTPS_PROXY / HTTP_PROXY / NO_PROXY, lower case first, as the runner and
 * @actions/http-client read them) applied to every call this action makes. The agents are @actions/http-client's
 * (its bundled `tunnel` agents, which open a CONNECT tunnel through the proxy); nothing here speaks CONNECT itself.
 */

/** How long a proxy may take to open a tunnel: the tunnel agent's own CONNECT request has no deadline. */
const PROXY_TUNNEL_TIMEOUT_MS = 5_000

const USER_AGENT = 'datadog-firelens-action'

/** The proxy in effect for a target: its URL, and the variable it came from (for messages). */
export interface ProxyRoute {
  url: URL
  variable: string
}

/** The variable that names the proxy for this scheme, as @actions/http-client picks it (lower case wins). */
function proxyVariable(target: URL): string | undefined {
  const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY']
  return names.find(name => process.env[name])
}

/**
 * The proxy for a target, or undefined when it goes direct: no proxy variable for its scheme, a NO_PROXY match, or a
 * loopback host (@actions/http-client never proxies those). A proxy variable that is not a URL is an error, not a
 * silent direct connection.
 */
export function proxyFor(target: URL): ProxyRoute | undefined {
  const variable = proxyVariable(target)
  if (!variable || checkBypass(target)) return undefined
  let url: URL | undefined
  try {
    url = getProxyUrl(target)
  } catch {
    url = undefined
  }
  if (!url?.hostname) {
    throw new UserError(
      `${variable} is set but is not a proxy URL, so ${target.protocol}//${target.host} cannot be reached through it.`,
      `Set ${variable} to the proxy as http://host:port (credentials, if any, as http://user:password@host:port), or unset it.`
    )
  }
  return { url, variable }
}

/** A proxy for messages: scheme, host and port, never its credentials. */
export function describeProxy(route: ProxyRoute): string {
  return `${route.url.protocol}//${route.url.host} (${route.variable})`
}

/** What the tunnel agent has beyond http.Agent's shape: the function it opens CONNECT requests with. */
type TunnelAgent = http.Agent & { request?: (options: http.RequestOptions) => http.ClientRequest }

/**
 * The agent that reaches a target through the runner's proxy, or undefined when the target goes direct.
 * @actions/http-client picks the right `tunnel` agent (https or http target, http or https proxy, credentials).
 */
export function proxyAgentFor(target: URL): http.Agent | undefined {
  if (!proxyFor(target)) return undefined
  return boundTunnel(new HttpClient(USER_AGENT).getAgent(target.href))
}

/**
 * Two gaps of the tunnel agent closed from outside: its CONNECT request gets a deadline (a proxy that accepts the
 * connection and never answers would otherwise hold the process open after the call gave up), and it gets the
 * destroy() that tells @smithy/node-http-handler it is an agent rather than a bag of options.
 */
function boundTunnel(agent: TunnelAgent): http.Agent {
  const open = agent.request
  if (typeof open === 'function') {
    agent.request = options => {
      const connect = open(options)
      const timer = setTimeout(() => {
        connect.destroy(
          Object.assign(new Error(`the proxy did not open a tunnel within ${PROXY_TUNNEL_TIMEOUT_MS / 1000} s`), {
            code: 'ETIMEDOUT'
          })
        )
      }, PROXY_TUNNEL_TIMEOUT_MS)
      timer.unref()
      const done = (): void => clearTimeout(timer)
      connect.once('connect', done).once('response', done).once('error', done).once('close', done)
      return connect
    }
  }
  if (typeof agent.destroy !== 'function') {
    const tracked = agent as unknown as { sockets: Array<{ destroy?: () => void }> }
    agent.destroy = () => {
      for (const socket of tracked.sockets) socket.destroy?.()
    }
  }
  return agent
}

/** The agent a request to `target` goes through: the proxy's tunnel, or a direct one. */
function agentFor(target: URL): { agent: http.Agent; route: ProxyRoute | undefined } {
  const route = proxyFor(target)
  const agent = (route && proxyAgentFor(target)) || new HttpClient(USER_AGENT).getAgent(target.href)
  return { agent, route }
}

/** One request through the runner's proxy; `onResponse` decides how much of the answer to read. */
function send<T>(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
  onResponse: (response: http.IncomingMessage, resolve: (value: T) => void, reject: (error: Error) => void) => void
): Promise<T> {
  return new Promise((resolve, reject) => {
    let target: URL
    let agent: http.Agent
    let route: ProxyRoute | undefined
    try {
      target = new URL(url)
      ;({ agent, route } = agentFor(target))
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)))
      return
    }
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      { method: init.method, headers: init.headers, signal: init.signal, agent },
      response => onResponse(response, resolve, reject)
    )
    request.on('error', error =>
      reject(route ? new Error(`${error.message} (through the proxy ${describeProxy(route)})`) : error)
    )
    request.end(init.body)
  })
}

/**
 * The Datadog key check's GET, through the runner's proxy (Node's own fetch ignores proxy variables). It resolves
 * with the status as soon as the headers arrive and drops the body, so a slow body never holds the run; `signal` is
 * the probe's deadline.
 */
export const fetchStatus: Fetch = (url, { headers, signal }) =>
  send(url, { method: 'GET', headers, signal }, (response, resolve) => {
    resolve({ status: response.statusCode ?? 0 })
    response.destroy()
  })

/** The answer of `fetchText`: the status, the headers, and the whole body. */
export interface TextAnswer {
  status: number
  headers: { get(name: string): string | null }
  text(): Promise<string>
}

/**
 * A request whose body is read whole (the Datadog logs search), through the runner's proxy. `signal` bounds the
 * whole exchange, body included.
 */
export function fetchText(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }
): Promise<TextAnswer> {
  return send(url, init, (response, resolve, reject) => {
    const chunks: Buffer[] = []
    response.on('data', (chunk: Buffer) => chunks.push(chunk))
    response.on('error', reject)
    response.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      resolve({
        status: response.statusCode ?? 0,
        headers: {
          get: name => {
            const value = response.headers[name.toLowerCase()]
            return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
          }
        },
        text: () => Promise.resolve(body)
      })
    })
  })
}
