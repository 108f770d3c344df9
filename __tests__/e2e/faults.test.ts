// AWS and runner faults, end to end through dist/index.js against loopback servers only: every AWS call is bounded in
// time whatever the server does, odd answers are named for what they are, the runner's proxy is honoured (and NO_PROXY
// bypasses it), cross-account SSM parameters are never falsely passed or failed, a JSON secret without its key is
// caught, and an unusable runner environment is said as such. None of them is "Unexpected error (a bug …)".
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startConnectProxy, type ConnectProxy } from '../../__fixtures__/connect-proxy.mjs'
import { startFakeAws, type FakeAws } from '../../__fixtures__/fake-aws.mjs'
import { makeTestCertificate } from '../../__fixtures__/test-tls.mjs'
import { exampleTaskDefinition, runAction, type RunActionResult } from './run-action.js'

const KEY = 'f00dfeedf00dfeedf00dfeedf00dfeed'
const ACCOUNT = '111122223333'
const OTHER = '444455556666'
const PARAMETER = '/prod/datadog/api-key'
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:datadog/api-key-Q1w2E3`
const SHARED_ARN = `arn:aws:ssm:us-east-1:${OTHER}:parameter/shared/datadog/api-key`

const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  'task-definition': exampleTaskDefinition('fargate-web.json'),
  site: 'ap1',
  'api-key-secret': PARAMETER,
  // The role checks have their own tests (roles.test.ts); these fakes have no IAM roles seeded.
  'verify-roles': 'false',
  ...extra
})
/** fargate-web.json with its first container's fields replaced, in a fresh temp dir. */
const taskDefinitionWith = (fields: Record<string, unknown>): string => {
  const file = exampleTaskDefinition('fargate-web.json')
  const td = JSON.parse(readFileSync(file, 'utf8'))
  Object.assign(td.containerDefinitions[0], fields)
  writeFileSync(file, JSON.stringify(td))
  return file
}
const targets = (fake: FakeAws): string[] => fake.calls.map(c => c.target)
const lines = (result: RunActionResult): string[] => result.stdout.split('\n')
const errorLines = (result: RunActionResult): string[] => lines(result).filter(l => l.startsWith('::error'))
const warningLines = (result: RunActionResult): string[] => lines(result).filter(l => l.startsWith('::warning'))
/** The one ::error of a failed run, which must be ours and not the catch-all for bugs. */
const theError = (result: RunActionResult): string => {
  expect(result.code).toBe(1)
  const errors = errorLines(result)
  expect(errors).toHaveLength(1)
  expect(errors[0]).not.toContain('Unexpected error')
  return errors[0]!
}

let fake: FakeAws
beforeEach(async () => {
  fake = await startFakeAws({
    parameters: { [PARAMETER]: KEY },
    secrets: { [SECRET_ARN]: JSON.stringify({ api_key: KEY, app_key: 'c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff' }) },
    sharedParameters: { [SHARED_ARN]: KEY },
    validKeysByDomain: { 'ap1.datadoghq.com': [KEY] }
  })
})
afterEach(async () => {
  await fake.close()
})

describe('time: every AWS call is bounded whatever the server does', () => {
  it('stops ECS answering 200 and then one byte every two seconds, naming the endpoint and the action', async () => {
    fake.fault('ECS.RegisterTaskDefinition', ...Array(3).fill({ kind: 'trickle', intervalMs: 2000 }))
    const result = await runAction(inputs({ 'verify-secret': 'false' }), { fake, timeoutMs: 100_000 })
    expect(result.timedOut).toBe(false)
    // README: 3 attempts of at most 10 s each, 35 s for the whole call. Generous: the machine is shared.
    expect(result.elapsedMs).toBeLessThan(60_000)
    const error = theError(result)
    expect(error).toContain(
      `${fake.url} (region us-east-1) did not answer ecs:RegisterTaskDefinition in time after 3 attempts.`
    )
    // Each trickled answer was a registration ECS may have made: the message says how to check before a re-run.
    expect(error).toContain('`aws ecs list-task-definitions --family-prefix web --region us-east-1`')
    expect(targets(fake)).toEqual(Array(3).fill('ECS.RegisterTaskDefinition'))
    expect(result.outputs['task-definition-arn']).toBeUndefined()
  }, 110_000)

  it('takes the Datadog key check status without waiting for a body that trickles', async () => {
    fake.fault('Datadog.validate', { kind: 'trickle', intervalMs: 2000 })
    const result = await runAction(inputs({ 'validate-api-key': 'true' }), {
      fake,
      env: { DATADOG_FIRELENS_API_URL_TEMPLATE: `${fake.url}/{domain}` }
    })
    expect(result.code).toBe(0)
    expect(lines(result)).toContain('API key check: the key is valid on AP1 (ap1.datadoghq.com).')
    // The whole body would take 28 s; a run takes well under a second. (Node's own fetch leaves the body open and
    // holds the process for seconds.)
    expect(result.elapsedMs).toBeLessThan(6_000)
  })
})

describe('odd answers are named for what they are', () => {
  it('calls an HTML page from "ECS" a non-AWS answer, without SDK internals, and registers nothing', async () => {
    fake.fault('ECS.RegisterTaskDefinition', { kind: 'html' })
    const result = await runAction(inputs(), { fake })
    const error = theError(result)
    expect(error).toContain(
      `ecs:RegisterTaskDefinition got a non-AWS answer from ${fake.url} (HTTP 200, text/html; charset=utf-8): a proxy or a captive portal answering instead of AWS?`
    )
    expect(error).toContain('HTTPS_PROXY')
    expect(result.stdout).not.toMatch(/Deserialization error|\$response|Unexpected token|SyntaxError|<html/i)
    expect(fake.registered).toEqual([])
  })

  it('calls an HTML page from SSM a non-AWS answer too, not a missing permission', async () => {
    fake.fault('SSM.DescribeParameters', { kind: 'html', status: 403 })
    const result = await runAction(inputs(), { fake })
    expect(theError(result)).toContain(
      `ssm:DescribeParameters got a non-AWS answer from ${fake.url} (HTTP 403, text/html; charset=utf-8)`
    )
    expect(warningLines(result)).toEqual([])
    expect(targets(fake)).toEqual(['SSM.DescribeParameters'])
  })

  it('says a revision may exist, and how to check, when ECS answers without an ARN', async () => {
    fake.fault('ECS.RegisterTaskDefinition', { kind: 'noArn' })
    const result = await runAction(inputs(), { fake })
    const error = theError(result)
    expect(error).toContain(
      `ECS answered ecs:RegisterTaskDefinition (${fake.url}, region us-east-1) without an ARN: a revision of "web" may exist.`
    )
    expect(error).toContain('`aws ecs list-task-definitions --family-prefix web --region us-east-1`')
    expect(error).not.toContain('AWS rejected')
    expect(fake.registered).toHaveLength(1)
    expect(result.outputs['task-definition-arn']).toBeUndefined()
  })
})

describe("the runner's proxy", () => {
  let proxy: ConnectProxy
  afterEach(async () => {
    await proxy?.close()
  })
  const viaProxy = (url: string): Record<string, string> => ({ HTTPS_PROXY: url, HTTP_PROXY: url })

  it('carries every AWS call and the Datadog check through HTTP_PROXY, one tunnel per request', async () => {
    proxy = await startConnectProxy({ refuse: ['127.0.0.1'] })
    const result = await runAction(inputs({ 'validate-api-key': 'true' }), {
      fake,
      env: {
        ...viaProxy(proxy.url),
        AWS_ENDPOINT_URL: `http://aws.fake.test:${fake.port}`,
        DATADOG_FIRELENS_API_URL_TEMPLATE: `http://datadog.fake.test:${fake.port}/{domain}`
      }
    })
    expect(errorLines(result)).toEqual([])
    expect(result.code).toBe(0)
    expect(targets(fake)).toEqual([
      'SSM.DescribeParameters',
      'SSM.GetParameter',
      'Datadog.validate',
      'ECS.RegisterTaskDefinition'
    ])
    expect(proxy.tunnels).toEqual([
      { host: 'aws.fake.test', port: fake.port },
      { host: 'aws.fake.test', port: fake.port },
      { host: 'datadog.fake.test', port: fake.port },
      { host: 'aws.fake.test', port: fake.port }
    ])
    expect(proxy.refused).toEqual([])
    expect(result.outputs['task-definition-arn']).toMatch(/task-definition\/web:1$/)
  })

  it('opens a CONNECT tunnel through HTTPS_PROXY to an https endpoint, TLS end to end', async () => {
    const tls = makeTestCertificate(['aws.fake.test'])
    const secure = await startFakeAws({ parameters: { [PARAMETER]: KEY }, tls })
    proxy = await startConnectProxy()
    try {
      const result = await runAction(inputs(), {
        fake: secure,
        env: {
          HTTPS_PROXY: proxy.url,
          AWS_ENDPOINT_URL: `https://aws.fake.test:${secure.port}`,
          NODE_EXTRA_CA_CERTS: tls.certFile
        }
      })
      expect(errorLines(result)).toEqual([])
      expect(result.code).toBe(0)
      expect(targets(secure)).toEqual(['SSM.DescribeParameters', 'ECS.RegisterTaskDefinition'])
      expect(proxy.tunnels).toEqual([
        { host: 'aws.fake.test', port: secure.port },
        { host: 'aws.fake.test', port: secure.port }
      ])
      expect(proxy.forwarded).toEqual([])
    } finally {
      await secure.close()
    }
  })

  it('goes direct to NO_PROXY hosts: not one request reaches the proxy, which would refuse them', async () => {
    proxy = await startConnectProxy({ refuse: ['127.0.0.1'] })
    const result = await runAction(inputs({ 'validate-api-key': 'true' }), {
      fake,
      env: {
        ...viaProxy(proxy.url),
        NO_PROXY: '127.0.0.1',
        DATADOG_FIRELENS_API_URL_TEMPLATE: `${fake.url}/{domain}`
      }
    })
    expect(result.code).toBe(0)
    expect(targets(fake)).toHaveLength(4)
    expect(proxy.tunnels).toEqual([])
    expect(proxy.forwarded).toEqual([])
    expect(proxy.refused).toEqual([])
  })

  it('sends AWS through the proxy and the NO_PROXY Datadog host around it in one run', async () => {
    proxy = await startConnectProxy({ refuse: ['127.0.0.1'] })
    const result = await runAction(inputs({ 'validate-api-key': 'true' }), {
      fake,
      env: {
        ...viaProxy(proxy.url),
        no_proxy: 'example.org,127.0.0.1',
        AWS_ENDPOINT_URL: `http://aws.fake.test:${fake.port}`,
        DATADOG_FIRELENS_API_URL_TEMPLATE: `${fake.url}/{domain}`
      }
    })
    expect(result.code).toBe(0)
    expect(proxy.tunnels.map(t => t.host)).toEqual(['aws.fake.test', 'aws.fake.test', 'aws.fake.test'])
    expect(proxy.refused).toEqual([])
  })

  it('names the proxy that refused the tunnel, and registers nothing', async () => {
    proxy = await startConnectProxy({ refuse: ['aws.fake.test'] })
    const result = await runAction(inputs(), {
      fake,
      env: { ...viaProxy(proxy.url), AWS_ENDPOINT_URL: `http://aws.fake.test:${fake.port}` }
    })
    const error = theError(result)
    // Refused once is refused: not retried.
    expect(error).toContain(
      `The proxy ${proxy.url} (HTTP_PROXY) refused to open a tunnel to http://aws.fake.test:${fake.port} (HTTP 403) for ssm:DescribeParameters (region us-east-1).`
    )
    expect(error).toContain('NO_PROXY')
    expect(proxy.refused).toEqual([{ kind: 'tunnel', host: 'aws.fake.test', port: fake.port }])
    expect(fake.calls).toEqual([])
  })

  it('names a proxy that is down', async () => {
    const result = await runAction(inputs(), {
      fake,
      env: { ...viaProxy('http://127.0.0.1:9'), AWS_ENDPOINT_URL: `http://aws.fake.test:${fake.port}` }
    })
    expect(theError(result)).toContain(
      'The proxy http://127.0.0.1:9 (HTTP_PROXY) could not be used (connect ECONNREFUSED 127.0.0.1:9) for ssm:DescribeParameters'
    )
  })

  it('stops waiting for a proxy that accepts the connection and never opens the tunnel', async () => {
    proxy = await startConnectProxy({ hangConnect: true })
    const result = await runAction(inputs(), {
      fake,
      env: { ...viaProxy(proxy.url), AWS_ENDPOINT_URL: `http://aws.fake.test:${fake.port}` },
      timeoutMs: 100_000
    })
    expect(result.timedOut).toBe(false)
    expect(result.elapsedMs).toBeLessThan(60_000)
    expect(theError(result)).toContain(
      `The proxy ${proxy.url} (HTTP_PROXY) could not be used (the proxy did not open a tunnel within 5 s) for ssm:DescribeParameters (region us-east-1) after 3 attempts.`
    )
    expect(fake.calls).toEqual([])
  }, 110_000)
})

describe('Secrets Manager JSON with validate-api-key', () => {
  const template = (): Record<string, string> => ({ DATADOG_FIRELENS_API_URL_TEMPLATE: `${fake.url}/{domain}` })

  it('refuses a JSON secret referenced without :json-key::, saying how to select the key, never printing it', async () => {
    const result = await runAction(inputs({ 'api-key-secret': SECRET_ARN, 'validate-api-key': 'true' }), {
      fake,
      env: template()
    })
    const error = theError(result)
    expect(error).toContain(
      `The Secrets Manager secret ${SECRET_ARN} (api-key-secret) holds JSON with the keys api_key, app_key`
    )
    expect(error).toContain(`api-key-secret: ${SECRET_ARN}:api_key::`)
    expect(error).not.toContain('invalid or revoked')
    for (const text of [result.stdout, result.stderr, result.summary]) {
      expect(text).not.toContain(KEY)
      expect(text).not.toContain('c0ffeec0ffee')
    }
    expect(fake.calls.filter(c => c.target === 'Datadog.validate')).toEqual([])
    expect(fake.registered).toEqual([])
  })

  it('validates the selected key of the JSON secret', async () => {
    const result = await runAction(
      inputs({ 'api-key-secret': `${SECRET_ARN}:api_key::`, 'validate-api-key': 'true' }),
      {
        fake,
        env: template()
      }
    )
    expect(errorLines(result)).toEqual([])
    expect(result.code).toBe(0)
    expect(fake.calls.filter(c => c.target === 'Datadog.validate').map(c => c.headers['dd-api-key'])).toEqual([KEY])
  })
})

describe('SSM parameter ARNs of another account', () => {
  it('passes a parameter shared with this account, found in its own account, and validates the shared key', async () => {
    const result = await runAction(inputs({ 'api-key-secret': SHARED_ARN, 'validate-api-key': 'true' }), {
      fake,
      env: { DATADOG_FIRELENS_API_URL_TEMPLATE: `${fake.url}/{domain}` }
    })
    expect(errorLines(result)).toEqual([])
    expect(warningLines(result)).toEqual([])
    expect(result.code).toBe(0)
    expect(lines(result)).toContain(
      `Secret check: SSM parameter ${SHARED_ARN} is shared with this account by ${OTHER}.`
    )
    const describes = fake.calls.filter(c => c.target === 'SSM.DescribeParameters').map(c => c.body)
    expect(describes).toEqual([
      { ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: ['/shared/datadog/api-key'] }], MaxResults: 1 },
      { MaxResults: 1 },
      {
        ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: ['/shared/datadog/api-key'] }],
        Shared: true,
        MaxResults: 50
      }
    ])
    // The key is read by its full ARN: the shared parameter, not a same-named one of this account.
    expect(fake.calls.find(c => c.target === 'SSM.GetParameter')!.body).toEqual({
      Name: SHARED_ARN,
      WithDecryption: true
    })
    expect(fake.registered).toHaveLength(1)
  })

  it('warns, never "does not exist", for another account\'s parameter that is not shared with this one', async () => {
    const unshared = `arn:aws:ssm:us-east-1:${OTHER}:parameter/other/api-key`
    const result = await runAction(inputs({ 'api-key-secret': unshared }), { fake })
    expect(result.code).toBe(0)
    expect(errorLines(result)).toEqual([])
    expect(warningLines(result)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::warning title=Secret not verified::The SSM parameter ${unshared} \\(api-key-secret\\) belongs to account ${OTHER}, not to this workflow's account ${ACCOUNT}.*cannot be verified from here`
        )
      )
    ])
    expect(result.stdout).not.toContain('does not exist')
    expect(fake.registered).toHaveLength(1)
  })

  it('is not passed by a same-named parameter in this account', async () => {
    const wrongAccount = `arn:aws:ssm:us-east-1:${OTHER}:parameter${PARAMETER}`
    const result = await runAction(inputs({ 'api-key-secret': wrongAccount }), { fake })
    expect(result.code).toBe(0)
    expect(lines(result).filter(l => l.startsWith('Secret check:'))).toEqual([])
    expect(warningLines(result)).toEqual([
      expect.stringContaining(`this account has a parameter of the same name, but the task reads ${OTHER}'s`)
    ])
  })

  it("says an ARN of this account's that does not exist does not exist", async () => {
    const typo = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/prod/datadog/api-kye`
    const result = await runAction(inputs({ 'api-key-secret': typo }), { fake })
    expect(theError(result)).toContain(
      `The SSM parameter "/prod/datadog/api-kye" (api-key-secret) does not exist in us-east-1 (account ${ACCOUNT}).`
    )
    expect(fake.registered).toEqual([])
  })
})

describe('the runner environment', () => {
  it('fails before any AWS call when RUNNER_TEMP is not set', async () => {
    const result = await runAction(inputs(), { fake, env: { RUNNER_TEMP: '' } })
    expect(theError(result)).toContain(
      'RUNNER_TEMP is not set, so the patched task definition has nowhere to be written'
    )
    expect(fake.calls).toEqual([])
  })

  it('fails before any AWS call when RUNNER_TEMP cannot be written', async () => {
    const file = join(exampleTaskDefinition('fargate-web.json', undefined), '..', 'not-a-folder')
    writeFileSync(file, '')
    const result = await runAction(inputs(), { fake, env: { RUNNER_TEMP: file } })
    expect(theError(result)).toContain(
      `Could not create a folder in RUNNER_TEMP (${file}) to write the patched task definition: ENOTDIR (it is not a folder). Nothing was registered.`
    )
    expect(fake.calls).toEqual([])
  })

  it('only warns when the job summary cannot be written after registering: the step succeeds with its outputs', async () => {
    const folder = join(exampleTaskDefinition('fargate-web.json'), '..', 'summary-is-a-folder')
    mkdirSync(folder)
    const result = await runAction(inputs(), { fake, env: { GITHUB_STEP_SUMMARY: folder } })
    expect(result.code).toBe(0)
    expect(errorLines(result)).toEqual([])
    const arn = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/web:1`
    expect(warningLines(result)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::warning title=Job summary not written::Could not write the job summary to GITHUB_STEP_SUMMARY \\(${folder.replace(/[.]/g, '\\.')}\\).*The task definition was registered \\(${arn}\\) and the step outputs are set`
        )
      )
    ])
    expect(result.outputs['task-definition-arn']).toBe(arn)
    expect(readFileSync(result.outputs['task-definition']!, 'utf8')).toContain('"family": "web"')
    expect(fake.registered).toHaveLength(1)
  })

  it('fails, naming GITHUB_OUTPUT, when the step outputs cannot be written, before registering', async () => {
    const folder = join(exampleTaskDefinition('fargate-web.json'), '..', 'output-is-a-folder')
    mkdirSync(folder)
    const result = await runAction(inputs(), { fake, env: { GITHUB_OUTPUT: folder } })
    expect(theError(result)).toContain(
      `Could not write the step output \`task-definition\` to GITHUB_OUTPUT (${folder}): EISDIR.`
    )
    expect(fake.calls).toEqual([])
  })
})

describe('"Unexpected error (a bug …)" is only for bugs', () => {
  // Each user- or environment-caused failure gets its own message; theError() checks that it is not the catch-all.
  it.each<[string, Record<string, string>, Record<string, string>, RegExp]>([
    [
      'no AWS credentials',
      {},
      { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
      /No AWS credentials were found for ssm:DescribeParameters\./
    ],
    ['an AWS_REGION that is not a region', {}, { AWS_REGION: 'eu west 1' }, /"eu west 1" is not an AWS region/],
    [
      'an AWS_ENDPOINT_URL that is not a URL',
      {},
      { AWS_ENDPOINT_URL: 'http://[bad' },
      /The AWS endpoint http:\/\/\[bad is not a URL/
    ],
    [
      'an HTTP_PROXY that is not a URL',
      {},
      { HTTP_PROXY: 'proxy.corp:3128', AWS_ENDPOINT_URL: 'http://aws.fake.test:9' },
      /HTTP_PROXY is set but is not a proxy URL/
    ],
    ['a missing RUNNER_TEMP', {}, { RUNNER_TEMP: '' }, /RUNNER_TEMP is not set/],
    [
      'a missing task definition file',
      { 'task-definition': 'nope.json' },
      {},
      /The task definition file nope\.json does not exist/
    ],
    [
      'a container environment that is not a list',
      { 'task-definition': taskDefinitionWith({ environment: 'A=1' }) },
      {},
      /containerDefinitions\[web\]\.environment is a string, but ECS wants a list of objects/
    ]
  ])('%s', async (_what, extra, env, message) => {
    const result = await runAction(inputs(extra), { fake, env })
    expect(theError(result)).toMatch(message)
    expect(fake.registered).toEqual([])
  })
})
