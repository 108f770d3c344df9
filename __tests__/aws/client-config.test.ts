import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { AWS_TIMEOUTS, clientConfig } from '../../src/aws/client-config.js'
import { endpointFor } from '../../src/aws/errors.js'

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }

/** Loopback server: /answer gets an empty JSON body at once; everything else is accepted and never answered. */
let server: Server
let url: string

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/answer')) {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
      res.end('{}')
    }
    // else: hold the request open forever.
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>(resolve => server.close(() => resolve()))
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

describe('clientConfig', () => {
  it('bounds retries and uses a NodeHttpHandler', () => {
    const config = clientConfig('eu-west-1')
    expect(config.region).toBe('eu-west-1')
    expect(config.maxAttempts).toBe(3)
    expect(config.retryMode).toBe('standard')
    expect(config.requestHandler).toBeInstanceOf(NodeHttpHandler)
  })

  it('gives each client its own handler', () => {
    expect(clientConfig('us-east-1').requestHandler).not.toBe(clientConfig('us-east-1').requestHandler)
  })

  it('configures the handler with the connection and request timeouts, and makes the request timeout throw', async () => {
    const config = clientConfig('us-east-1')
    const client = new ECSClient({ ...config, endpoint: `${url}/answer`, credentials })
    try {
      // The handler resolves its options on its first request; one real round trip makes them readable.
      await client.send(new ListClustersCommand({}))
      expect(config.requestHandler.httpHandlerConfigs()).toMatchObject({
        connectionTimeout: AWS_TIMEOUTS.connectionTimeoutMs,
        requestTimeout: AWS_TIMEOUTS.requestTimeoutMs,
        throwOnRequestTimeout: true
      })
    } finally {
      client.destroy()
    }
  })

  it('aborts a request that is never answered, with a TimeoutError', async () => {
    const client = new ECSClient({
      ...clientConfig('us-east-1'),
      requestHandler: new NodeHttpHandler({ requestTimeout: 300, throwOnRequestTimeout: true }),
      endpoint: url,
      credentials,
      maxAttempts: 1
    })
    const started = Date.now()
    try {
      const error = await client.send(new ListClustersCommand({})).then(
        () => undefined,
        (e: unknown) => e as Error & { code?: string }
      )
      const elapsed = Date.now() - started
      expect(error?.name).toBe('TimeoutError')
      expect(error?.code).toBe('ETIMEDOUT')
      expect(elapsed).toBeGreaterThanOrEqual(250)
      expect(elapsed).toBeLessThan(3_000)
    } finally {
      client.destroy()
    }
  })

  it('without throwOnRequestTimeout the same request is still pending well after the timeout', async () => {
    const abort = new AbortController()
    const client = new ECSClient({
      ...clientConfig('us-east-1'),
      requestHandler: new NodeHttpHandler({
        requestTimeout: 300,
        throwOnRequestTimeout: false,
        logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {} }
      }),
      endpoint: url,
      credentials,
      maxAttempts: 1
    })
    try {
      const pending = client.send(new ListClustersCommand({}), { abortSignal: abort.signal })
      expect(await settlesWithin(pending, 3_000)).toBe(false)
      abort.abort()
      await expect(pending).rejects.toThrow()
    } finally {
      client.destroy()
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
