// The faithful patch through the bundle (dist/index.js), as a runner runs it: what the user already set is kept or
// changed with a word, and what is already wrong is flagged. Dry runs: no AWS call is needed for any of this.
import { NO_REGION } from '../../__fixtures__/action-env.mjs'
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, type RunActionResult } from './run-action.js'

// The tests build and read task definitions freely: a typed view would only add casts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

const LABEL = 'com.datadoghq.tags.service'
const ROUTER = {
  name: 'log_router',
  image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.8',
  essential: true,
  firelensConfiguration: { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'true' } },
  memoryReservation: 50
}
const task = (containers: Json[], extra: Json = {}): Json => ({
  family: 'checkout-prod',
  executionRoleArn: 'arn:aws:iam::111122223333:role/ecsTaskExecutionRole',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '1024',
  memory: '2048',
  containerDefinitions: containers,
  ...extra
})
const datadog = (options: Json): Json => ({
  logDriver: 'awsfirelens',
  options: { Name: 'datadog', Host: 'http-intake.logs.ap1.datadoghq.com', TLS: 'on', ...options },
  secretOptions: [{ name: 'apikey', valueFrom: '/prod/DATADOG_API_KEY' }]
})
const file = (td: Json): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'dd-firelens-faithful-')), 'task-definition.json')
  writeFileSync(path, JSON.stringify(td, null, 2))
  return path
}
const run = (td: Json | string, extra: Record<string, string> = {}): Promise<RunActionResult> =>
  runAction(
    {
      'task-definition': typeof td === 'string' ? td : file(td),
      site: 'ap1',
      'api-key-secret': '/prod/DATADOG_API_KEY',
      register: 'false',
      'git-metadata': 'false',
      ...extra
    },
    { env: NO_REGION }
  )
const outputText = (result: RunActionResult): string => readFileSync(result.outputs['task-definition']!, 'utf8')
const patched = (result: RunActionResult): Json => JSON.parse(outputText(result)) as Json
const byName = (td: Json, name: string): Json => td.containerDefinitions.find((c: Json) => c.name === name)
const annotations = (result: RunActionResult, kind: 'error' | 'warning' | 'notice'): string[] =>
  result.stdout
    .split('\n')
    .filter(l => l.startsWith(`::${kind}`))
    .map(l => l.replace(/%0A/g, '\n').replace(/%25/g, '%'))
const ok = (result: RunActionResult): void => {
  expect({ code: result.code, out: result.code === 0 ? '' : result.stdout }).toEqual({ code: 0, out: '' })
}
const env = (c: Json): Json => Object.fromEntries((c.environment ?? []).map((e: Json) => [e.name, e.value]))
const serviceSaid = (c: Json): Json => ({
  option: c.logConfiguration.options.dd_service,
  env: env(c).DD_SERVICE,
  label: c.dockerLabels?.[LABEL]
})
const optionNames = (options: Json, name: string): string[] =>
  Object.keys(options).filter(k => k.toLowerCase() === name.toLowerCase())

describe("a container's service", () => {
  const services = task([
    { name: 'api', image: 'api:1', essential: true, environment: [{ name: 'DD_SERVICE', value: 'checkout-api' }] },
    {
      name: 'worker',
      image: 'worker:1',
      essential: false,
      environment: [{ name: 'DD_SERVICE', value: 'checkout-worker' }],
      dockerLabels: { [LABEL]: 'payments-worker' }
    },
    { name: 'cron', image: 'cron:1', essential: false },
    ROUTER
  ])

  it('is kept without the service input: DD_SERVICE checkout-api in family checkout-prod stays checkout-api everywhere', async () => {
    const result = await run(services)
    ok(result)
    const td = patched(result)
    const everywhere = (s: string) => ({ option: s, env: s, label: s })
    expect(serviceSaid(byName(td, 'api'))).toEqual(everywhere('checkout-api'))
    expect(serviceSaid(byName(td, 'worker'))).toEqual(everywhere('checkout-worker'))
    expect(serviceSaid(byName(td, 'cron'))).toEqual(everywhere('checkout-prod'))
    expect(annotations(result, 'warning')).toEqual([
      expect.stringMatching(
        /^::warning title=Datadog FireLens,file=.*::worker: its service is "checkout-worker" \(DD_SERVICE in its environment\) but "payments-worker" \(its com\.datadoghq\.tags\.service label\)/
      )
    ])
  })

  it('is replaced by the service input, and the summary says which value it replaced', async () => {
    const result = await run(services, { service: 'checkout' })
    ok(result)
    const td = patched(result)
    for (const name of ['api', 'worker', 'cron'])
      expect(serviceSaid(byName(td, name))).toEqual({ option: 'checkout', env: 'checkout', label: 'checkout' })
    expect(result.summary).toMatch(
      /\| `api` \| routed \| .*service "checkout-api" \(from DD\\_SERVICE in its environment\) replaced by the `service` input "checkout"(: .*)? \|/
    )
    expect(result.summary).toMatch(/\| `worker` \| routed \| .*service "checkout-worker" .*replaced/)
    expect(result.summary).not.toMatch(/\| `cron` \|.*replaced/)
  })
})

describe('tags', () => {
  it('keep every value of a repeated key, take all input values of a key, and accept a Unicode first letter', async () => {
    const td = task([
      {
        name: 'api',
        image: 'api:1',
        logConfiguration: datadog({ dd_tags: 'team:payments,env:staging,team:platform' })
      },
      ROUTER
    ])
    const result = await run(td, { tags: 'équipe:paiements\nregion:jp,region:eu', env: 'prod' })
    ok(result)
    expect(byName(patched(result), 'api').logConfiguration.options.dd_tags).toBe(
      'team:payments,env:prod,team:platform,équipe:paiements,region:jp,region:eu'
    )
    expect(annotations(result, 'warning')).toEqual([])
    const again = await run(result.outputs['task-definition']!, {
      tags: 'équipe:paiements\nregion:jp,region:eu',
      env: 'prod'
    })
    expect(outputText(again)).toBe(outputText(result))
  })
})

describe('option names, whatever their case', () => {
  const KEY = '5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e'
  const mixed = task([
    {
      name: 'api',
      image: 'api:1',
      logConfiguration: {
        logDriver: 'awsfirelens',
        options: {
          NAME: 'datadog',
          host: 'http-intake.logs.datadoghq.com',
          HOST: 'http-intake.logs.datadoghq.eu',
          Tls: 'off',
          DD_Source: 'java',
          APIKey: KEY,
          Retry_Limit: '5'
        }
      }
    },
    { name: 'web', image: 'web:1' },
    ROUTER
  ])

  it('leave one key per name with the action value, no clear-text key, and keep what the user set', async () => {
    const result = await run(mixed, { 'log-options': 'Json_Date_Key=ts' })
    ok(result)
    const api = byName(patched(result), 'api').logConfiguration.options
    for (const [name, key, value] of [
      ['name', 'Name', 'datadog'],
      ['host', 'Host', 'http-intake.logs.ap1.datadoghq.com'],
      ['tls', 'TLS', 'on'],
      ['dd_source', 'DD_Source', 'java'],
      ['retry_limit', 'Retry_Limit', '5'],
      ['json_date_key', 'Json_Date_Key', 'ts']
    ]) {
      expect(optionNames(api, name!)).toEqual([key])
      expect(api[key!]).toBe(value)
    }
    expect(optionNames(api, 'apikey')).toEqual([])
    expect(outputText(result)).not.toContain(KEY)
    expect(byName(patched(result), 'web').logConfiguration.options.retry_limit).toBe('2')
  })

  it('give a byte-identical second run, with Retry_Limit in log-options', async () => {
    const inputs = { 'log-options': 'Retry_Limit=2\njson_date_key=ts', source: 'python', tags: 'env:prod' }
    const first = await run(mixed, inputs)
    ok(first)
    const second = await run(first.outputs['task-definition']!, inputs)
    ok(second)
    expect(outputText(second)).toBe(outputText(first))
    // log-options override the container's own Retry_Limit=5, under their spelling.
    const api = byName(patched(first), 'api').logConfiguration.options
    expect(optionNames(api, 'retry_limit')).toEqual(['Retry_Limit'])
    expect(api.Retry_Limit).toBe('2')
  })
})

describe('a log router the user already has', () => {
  const withRouter = (router: Json): Json =>
    task([
      { name: 'api', image: 'api:1' },
      { ...ROUTER, ...router }
    ])

  it('that is Fluentd is refused, naming the JSON path and the fix, and nothing is written', async () => {
    const result = await run(
      withRouter({ image: 'fluent/fluentd:v1.16-1', firelensConfiguration: { type: 'fluentd' } })
    )
    expect(result.code).toBe(1)
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(
        /^::error title=Datadog FireLens::The log router "log_router" is not Fluent Bit: containerDefinitions\[log_router\]\.firelensConfiguration\.type is "fluentd"\..*\nSet `log-router-image`/s
      )
    ])
    expect(result.outputs['task-definition']).toBeUndefined()
  })

  it('that is not Fluent Bit is retyped onto log-router-image, with a notice', async () => {
    const image = 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.8'
    const result = await run(
      withRouter({ image: 'fluent/fluentd:v1.16-1', firelensConfiguration: { type: 'fluentd' } }),
      {
        'log-router-image': image
      }
    )
    ok(result)
    const router = byName(patched(result), 'log_router')
    expect(router.image).toBe(image)
    expect(router.firelensConfiguration.type).toBe('fluentbit')
    expect(annotations(result, 'notice')).toContainEqual(
      expect.stringMatching(
        /::log_router: the log router was not Fluent Bit .*now type fluentbit with image public\.ecr\.aws/
      )
    )
  })

  it('with essential: false gets a warning; with enable-ecs-log-metadata "false" keeps it, with a notice', async () => {
    const result = await run(
      withRouter({
        essential: false,
        firelensConfiguration: { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'false' } }
      })
    )
    ok(result)
    const router = byName(patched(result), 'log_router')
    expect(router.essential).toBe(false)
    expect(router.firelensConfiguration.options['enable-ecs-log-metadata']).toBe('false')
    expect(annotations(result, 'warning')).toContainEqual(
      expect.stringMatching(/::log_router: the log router has "essential": false/)
    )
    expect(annotations(result, 'notice')).toContainEqual(
      expect.stringMatching(/::log_router: enable-ecs-log-metadata is "false" on the log router and was kept.*ECS tags/)
    )
    expect(result.summary).toMatch(
      /\*\*Warnings\*\*[\s\S]*essential[\s\S]*\*\*Notices\*\*[\s\S]*enable-ecs-log-metadata/
    )
  })
})

describe('a Datadog Agent the user already has', () => {
  const MIRROR = '111122223333.dkr.ecr.us-east-1.amazonaws.com/docker-hub/datadog/agent:7.85.0'
  const withAgent = (environment: Json[], extra: Json = {}): Json =>
    task([{ name: 'api', image: 'api:1' }, { name: 'dd', image: MIRROR, essential: false, environment }, ROUTER], extra)

  it('on a registry mirror is reused, not doubled, and its DD_SITE is corrected with a notice', async () => {
    const result = await run(withAgent([{ name: 'DD_SITE', value: 'datadoghq.com' }]), { agent: 'true' })
    ok(result)
    const td = patched(result)
    expect(td.containerDefinitions.map((c: Json) => c.name)).toEqual(['api', 'dd', 'log_router'])
    expect(env(byName(td, 'dd')).DD_SITE).toBe('ap1.datadoghq.com')
    expect(annotations(result, 'notice')).toContainEqual(
      expect.stringMatching(/::dd: the Agent's DD_SITE was "datadoghq\.com"; it is now ap1\.datadoghq\.com \(AP1\)/)
    )
  })

  it('on another site with agent: false is left alone, with a warning', async () => {
    const result = await run(withAgent([{ name: 'DD_SITE', value: 'datadoghq.eu' }]))
    ok(result)
    expect(env(byName(patched(result), 'dd')).DD_SITE).toBe('datadoghq.eu')
    expect(annotations(result, 'warning')).toContainEqual(
      expect.stringMatching(
        /::dd: the Datadog Agent has DD_SITE "datadoghq\.eu" \(EU1\).*metrics and traces go to that site/
      )
    )
  })

  it("is never given the log router's settings: log-router-name equal to its name fails", async () => {
    const result = await run(withAgent([]), { agent: 'true', 'log-router-name': 'dd' })
    expect(result.code).toBe(1)
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(/::Input `log-router-name` is "dd", the name of the Datadog Agent/)
    ])
  })

  it('is never doubled: two Agents with agent: true fail, naming both', async () => {
    const td = withAgent([])
    td.containerDefinitions.splice(1, 0, { name: 'datadog-agent', image: 'acme.jfrog.io/remote/datadoghq/agent:7' })
    const result = await run(td, { agent: 'true' })
    expect(result.code).toBe(1)
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(/::The task definition has 2 Datadog Agent containers \(datadog-agent, dd\)/)
    ])
  })

  it('log-router-name naming an application container fails too', async () => {
    const result = await run(withAgent([]), { 'log-router-name': 'api' })
    expect(result.code).toBe(1)
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(/::Input `log-router-name` is "api", the name of a container that is not the log router/)
    ])
  })

  it.each([
    ['bridge', /cannot reach a sidecar Agent on localhost:8126/],
    ['host', /two tasks on one instance collide on those ports/]
  ])('with agent: true on a %s network-mode task fails, recommending a daemon service', async (networkMode, why) => {
    const result = await run(withAgent([], { networkMode, requiresCompatibilities: ['EC2'] }), { agent: 'true' })
    expect(result.code).toBe(1)
    const [error] = annotations(result, 'error')
    expect(error).toMatch(why)
    expect(error).toMatch(/ECS daemon service/)
    expect(result.outputs['task-definition']).toBeUndefined()
  })
})

describe('what is already wrong where nothing is changed', () => {
  const OPTION_KEY = 'deadbeefdeadbeefdeadbeefdeadbeef'
  const ENV_KEY = 'c0ffee00c0ffee00c0ffee00c0ffee00'
  const ROUTED_KEY = 'abad1deaabad1deaabad1deaabad1dea'
  const leaky = task([
    {
      name: 'api',
      image: 'api:1',
      environment: [{ name: 'DD_API_KEY', value: ENV_KEY }],
      logConfiguration: datadog({ apikey: ROUTED_KEY })
    },
    {
      name: 'legacy',
      image: 'legacy:1',
      logConfiguration: {
        logDriver: 'awsfirelens',
        options: { Name: 'datadog', Host: 'http-intake.logs.datadoghq.eu', tls: 'off', ApiKey: OPTION_KEY }
      }
    },
    ROUTER
  ])

  it('a left-out container on another site, with TLS off and a clear-text key, is warned about by name', async () => {
    const result = await run(leaky, { containers: 'api' })
    ok(result)
    expect(byName(patched(result), 'legacy')).toEqual(leaky.containerDefinitions[1])
    const warnings = annotations(result, 'warning').join('\n')
    expect(warnings).toMatch(
      /legacy: not routed by this run \(left out by `containers`\).*at http-intake\.logs\.datadoghq\.eu, not at http-intake\.logs\.ap1\.datadoghq\.com/
    )
    expect(warnings).toMatch(/legacy: not routed by this run .*with TLS "off"/)
    expect(warnings).toMatch(
      /legacy: a Datadog API key is written in clear text at containerDefinitions\[legacy\]\.logConfiguration\.options\.ApiKey/
    )
    // A routed container's DD_API_KEY moves to secrets, from api-key-secret (README: "the key is removed").
    expect(warnings).toMatch(
      /api: DD_API_KEY was set in clear text in its environment; it was removed and it now comes from `api-key-secret`/
    )
    expect(byName(patched(result), 'api').secrets).toContainEqual({
      name: 'DD_API_KEY',
      valueFrom: '/prod/DATADOG_API_KEY'
    })
    expect(warnings).toMatch(/api: logConfiguration\.options had the API key in clear text \(apikey\); it was removed/)
  })

  it('a clear-text key appears in stdout only in ::add-mask:: lines, registered before anything prints the definition', async () => {
    const result = await run(leaky, { containers: 'api' })
    ok(result)
    const lines = result.stdout.split('\n')
    for (const key of [OPTION_KEY, ENV_KEY, ROUTED_KEY]) {
      const where = lines.map((l, i) => (l.includes(key) ? i : -1)).filter(i => i >= 0)
      expect(where.map(i => lines[i])).toEqual([`::add-mask::${key}`])
      // Masked before the first annotation and before the dry run's copy of the definition.
      expect(where[0]).toBeLessThan(lines.findIndex(l => l.startsWith('::warning')))
    }
    expect(result.stdout).toContain('::group::Patched task definition')
    expect(result.stderr).not.toMatch(new RegExp(`${OPTION_KEY}|${ENV_KEY}|${ROUTED_KEY}`))
    expect(result.summary).not.toMatch(new RegExp(`${OPTION_KEY}|${ENV_KEY}|${ROUTED_KEY}`))
    // The left-out container's key is still in the file: the action never touches that container.
    expect(outputText(result)).toContain(OPTION_KEY)
    expect(outputText(result)).not.toContain(ROUTED_KEY)
  })
})
