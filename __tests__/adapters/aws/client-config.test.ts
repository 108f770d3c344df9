import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { PROXY_VARIABLES, withoutEnv } from '../../../__fixtures__/clean-env.js'
import { readFileSync } from 'node:fs'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { startConnectProxy, type ConnectProxy } from '../../../__fixtures__/connect-proxy.mjs'
import {
  AWS_TIMEOUTS,
  BoundedHttpHandler,
  BoundedRetryStrategy,
  clientConfig,
  type AwsTimeouts
} from '../../../src/adapters/aws/client-config.js'
import { endpointFor } from '../../../src/adapters/aws/errors.js'

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }

/**
 * Loopback server. /answer: an empty JSON body at once. /trickle: 200 and a content-length at once, then one byte
 * every 100 ms (a body that is always moving and never done). Anything else: accepted and never answered.
 */
let server: Server
let url: string
let requests = 0
const open = new Set<ServerResponse>()

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++
    if (req.url?.startsWith('/answer')) {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
      res.end('{}')
      return
    }
    open.add(res)
    res.on('close', () => open.delete(res))
    if (req.url?.startsWith('/trickle')) {
      const body = JSON.stringify({ clusterArns: ['arn:aws:ecs:us-east-1:111122223333:cluster/prod'] })
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(body) })
      let i = 0
      const timer = setInterval(() => {
        if (i < body.length) res.write(body[i++]!)
      }, 100)
      res.on('close', () => clearInterval(timer))
    }
    // else: hold the request open.
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>(resolve => server.close(() => resolve()))
})

beforeEach(() => {
  requests = 0
})

/** Whether the promise settles within ms, without leaving it unhandled. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const settled = promise.then(
    () => true,
    () => true
  )
  const timeout = new Promise<false>(resolve => (timer = setTimeout(() => resolve(false), ms)))
  try {
    return await Promise.race([settled, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** An ECS client with the action's config (short bounds for the test) pointed at the loopback server. */
function ecsClient(path: string, timeouts: Partial<AwsTimeouts>, host = url): ECSClient {
  return new ECSClient({ ...clientConfig('us-east-1', timeouts), endpoint: `${host}${path}`, credentials })
}

async function failure(client: ECSClient): Promise<Error & { code?: string; $metadata?: { attempts?: number } }> {
  try {
    await client.send(new ListClustersCommand({}))
  } catch (error) {
    return error as Error
  } finally {
    client.destroy()
  }
  throw new Error('expected the call to fail')
}

describe('clientConfig', () => {
  it('bounds every call: 3 attempts of the standard retry mode, each with the deadlines README states', () => {
    const config = clientConfig('eu-west-1')
    expect(config.region).toBe('eu-west-1')
    expect(config.maxAttempts).toBe(3)
    expect(config.retryMode).toBe('standard')
    expect(config.requestHandler).toBeInstanceOf(BoundedHttpHandler)
    expect(config.retryStrategy).toBeInstanceOf(BoundedRetryStrategy)
    expect(config.requestHandler.timeouts).toEqual(AWS_TIMEOUTS)
    expect(AWS_TIMEOUTS).toEqual({
      connectionTimeoutMs: 5_000,
      attemptTimeoutMs: 10_000,
      maxAttempts: 3,
      totalTimeoutMs: 35_000
    })
    // Three full attempts fit in the budget: the limit cuts waits, not the retries README promises.
    expect(AWS_TIMEOUTS.maxAttempts * AWS_TIMEOUTS.attemptTimeoutMs).toBeLessThan(AWS_TIMEOUTS.totalTimeoutMs)
  })

  it('are the numbers README\'s "What it checks" states', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ')
    const { connectionTimeoutMs, attemptTimeoutMs, maxAttempts, totalTimeoutMs } = AWS_TIMEOUTS
    expect(readme).toContain(
      `${connectionTimeoutMs / 1000} s to connect, ${attemptTimeoutMs / 1000} s per attempt (connect, answer and the whole body, wall time), at most ${maxAttempts} attempts`
    )
    expect(readme).toContain(`and ${totalTimeoutMs / 1000} s for the whole call, waits included`)
  })

  it('gives each client its own handler and retry strategy', () => {
    expect(clientConfig('us-east-1').requestHandler).not.toBe(clientConfig('us-east-1').requestHandler)
    expect(clientConfig('us-east-1').retryStrategy).not.toBe(clientConfig('us-east-1').retryStrategy)
  })

  it('answers normally through the bounded handler', async () => {
    const client = ecsClient('/answer', {})
    try {
      const output = await client.send(new ListClustersCommand({}))
      expect(output.$metadata.httpStatusCode).toBe(200)
      expect(output.$metadata.attempts).toBe(1)
    } finally {
      client.destroy()
    }
  })
})

describe('the deadline of one attempt', () => {
  it('stops an answer whose body trickles, with a TimeoutError', async () => {
    const started = Date.now()
    const error = await failure(ecsClient('/trickle', { attemptTimeoutMs: 400, maxAttempts: 1 }))
    expect(error.name).toBe('TimeoutError')
    expect(error.code).toBe('ETIMEDOUT')
    expect(Date.now() - started).toBeLessThan(3_000)
  })

  it('where @smithy/node-http-handler alone (requestTimeout, throwOnRequestTimeout) still waits for that body', async () => {
    const abort = new AbortController()
    const client = new ECSClient({
      region: 'us-east-1',
      endpoint: `${url}/trickle`,
      credentials,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ requestTimeout: 400, throwOnRequestTimeout: true })
    })
    try {
      const pending = client.send(new ListClustersCommand({}), { abortSignal: abort.signal })
      expect(await settlesWithin(pending, 2_000)).toBe(false)
      abort.abort()
      await expect(pending).rejects.toThrow()
    } finally {
      client.destroy()
    }
  })

  it('stops a request that is never answered', async () => {
    const started = Date.now()
    const error = await failure(ecsClient('/hang', { attemptTimeoutMs: 400, maxAttempts: 1 }))
    expect(error.name).toBe('TimeoutError')
    expect(Date.now() - started).toBeLessThan(3_000)
  })

  it('is retried like any timeout, up to the attempts allowed', async () => {
    const error = await failure(ecsClient('/hang', { attemptTimeoutMs: 300, maxAttempts: 3 }))
    expect(error.name).toBe('TimeoutError')
    expect(error.$metadata?.attempts).toBe(3)
    expect(requests).toBe(3)
  })

  it('still honours an abortSignal passed to send', async () => {
    const client = ecsClient('/hang', { attemptTimeoutMs: 5_000, maxAttempts: 1 })
    try {
      const pending = client.send(new ListClustersCommand({}), { abortSignal: AbortSignal.timeout(200) })
      expect(await settlesWithin(pending, 2_000)).toBe(true)
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    } finally {
      client.destroy()
    }
  })
})

describe('the deadline of the whole call', () => {
  it('starts no retry that could not end within it', async () => {
    const started = Date.now()
    // Attempts of 400 ms in a budget of 1 s: the second fits (ends by ~0.8 s), a third could not.
    const error = await failure(ecsClient('/hang', { attemptTimeoutMs: 400, maxAttempts: 10, totalTimeoutMs: 1_000 }))
    const elapsed = Date.now() - started
    expect(error.name).toBe('TimeoutError')
    expect(error.$metadata?.attempts).toBe(2)
    expect(requests).toBe(2)
    expect(elapsed).toBeLessThan(1_500)
  })
})

describe('the runner proxy', () => {
  let proxy: ConnectProxy
  withoutEnv(PROXY_VARIABLES)
  beforeEach(async () => {
    proxy = await startConnectProxy({ refuse: ['127.0.0.1', 'direct.fake.test'] })
  })
  afterEach(async () => {
    await proxy.close()
  })

  const port = (): string => new URL(url).port

  it('tunnels every AWS request through HTTP_PROXY for an http endpoint', async () => {
    process.env.HTTP_PROXY = proxy.url
    const client = ecsClient('/answer', {}, `http://aws.fake.test:${port()}`)
    try {
      await client.send(new ListClustersCommand({}))
      await client.send(new ListClustersCommand({}))
    } finally {
      client.destroy()
    }
    expect(proxy.tunnels).toEqual([
      { host: 'aws.fake.test', port: Number(port()) },
      { host: 'aws.fake.test', port: Number(port()) }
    ])
    expect(proxy.refused).toEqual([])
  })

  it('goes direct to a loopback endpoint, which the proxy would refuse', async () => {
    process.env.HTTP_PROXY = proxy.url
    const client = ecsClient('/answer', {})
    try {
      await client.send(new ListClustersCommand({}))
    } finally {
      client.destroy()
    }
    expect(proxy.tunnels).toEqual([])
    expect(proxy.refused).toEqual([])
  })

  it('does not retry a tunnel the proxy refused: it would refuse again', async () => {
    const refusing = await startConnectProxy({ refuse: ['aws.fake.test'] })
    process.env.HTTP_PROXY = refusing.url
    try {
      const error = await failure(ecsClient('/answer', {}, `http://aws.fake.test:${port()}`))
      expect(error.name).toBe('ProxyRefusedError')
      expect(error.message).toContain('statusCode=403')
      expect(refusing.refused).toHaveLength(1)
    } finally {
      await refusing.close()
    }
  })

  it('bounds a proxy that never opens the tunnel', async () => {
    const hanging = await startConnectProxy({ hangConnect: true })
    process.env.HTTP_PROXY = hanging.url
    try {
      const started = Date.now()
      const error = await failure(
        ecsClient('/answer', { attemptTimeoutMs: 500, maxAttempts: 1 }, `http://aws.fake.test:${port()}`)
      )
      expect(error.name).toBe('TimeoutError')
      expect(Date.now() - started).toBeLessThan(3_000)
    } finally {
      await hanging.close()
    }
  })
})

describe('endpointFor', () => {
  it('prefers AWS_ENDPOINT_URL_ECS, then AWS_ENDPOINT_URL, then the public endpoint', () => {
    expect(
      endpointFor('ecs', 'us-west-2', {
        AWS_ENDPOINT_URL_ECS: 'http://ecs.local:4566',
        AWS_ENDPOINT_URL: 'http://all.local:4566'
      })
    ).toBe('http://ecs.local:4566')
    expect(endpointFor('ecs', 'us-west-2', { AWS_ENDPOINT_URL: 'http://all.local:4566' })).toBe('http://all.local:4566')
    expect(endpointFor('ecs', 'us-west-2', {})).toBe('https://ecs.us-west-2.amazonaws.com')
  })

  it('ignores an empty override and another service’s override', () => {
    expect(
      endpointFor('ecs', 'eu-central-1', { AWS_ENDPOINT_URL_ECS: '', AWS_ENDPOINT_URL_SSM: 'http://ssm.local' })
    ).toBe('https://ecs.eu-central-1.amazonaws.com')
  })

  it('uses the SSM and Secrets Manager variables for those services', () => {
    expect(endpointFor('ssm', 'us-east-1', { AWS_ENDPOINT_URL_SSM: 'http://ssm.local' })).toBe('http://ssm.local')
    expect(endpointFor('secretsmanager', 'us-east-1', { AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://sm.local' })).toBe(
      'http://sm.local'
    )
    expect(endpointFor('secretsmanager', 'sa-east-1', {})).toBe('https://secretsmanager.sa-east-1.amazonaws.com')
  })
})
