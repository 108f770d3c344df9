// Real task definitions through the bundle (dist/index.js): Fargate tasks at full memory, routers on custom images,
// leftover placeholders. Registered against the fake ECS, whose validation has ECS's memory rules.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeAws, type FakeAws } from '../../__fixtures__/fake-aws.mjs'
import { runAction, type RunActionResult } from './run-action.js'

const KEY_PARAMETER = '/prod/DATADOG_API_KEY'
const EXECUTION_ROLE = 'arn:aws:iam::111122223333:role/ecsTaskExecutionRole'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

const write = (td: Json): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'dd-firelens-real-')), 'task-definition.json')
  writeFileSync(file, JSON.stringify(td, null, 2))
  return file
}
const fargate = (cpu: string, memory: string, app: Json, extra: Json = {}): Json => ({
  family: 'web',
  executionRoleArn: EXECUTION_ROLE,
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu,
  memory,
  containerDefinitions: [
    { name: 'web', image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1', essential: true, ...app }
  ],
  ...extra
})
const ec2 = (memory: string | undefined, app: Json): Json => ({
  family: 'web',
  executionRoleArn: EXECUTION_ROLE,
  requiresCompatibilities: ['EC2'],
  ...(memory === undefined ? {} : { memory }),
  containerDefinitions: [{ name: 'web', image: 'nginx:1.27', essential: true, ...app }]
})
const inputs = (file: string, extra: Record<string, string> = {}): Record<string, string> => ({
  'task-definition': file,
  site: 'ap1',
  'api-key-secret': KEY_PARAMETER,
  'verify-roles': 'false',
  ...extra
})
const output = (result: RunActionResult): string => readFileSync(result.outputs['task-definition']!, 'utf8')
const byName = (td: Json): Record<string, Json> =>
  Object.fromEntries((td.containerDefinitions as Json[]).map(c => [c.name as string, c]))
const failure = (result: RunActionResult): string => `exit ${result.code}\n${result.stdout}\n${result.stderr}`
const warnings = (result: RunActionResult): string[] =>
  result.stdout
    .split('\n')
    .filter(l => l.startsWith('::warning'))
    .map(l => decodeURIComponent(l.replace(/^::warning[^:]*::/, '').replace(/%0A/g, '\n')))
const errors = (result: RunActionResult): string =>
  result.stdout
    .split('\n')
    .filter(l => l.startsWith('::error'))
    .map(l => l.replace(/%0A/g, '\n').replace(/%25/g, '%'))
    .join('\n')

let fake: FakeAws
beforeEach(async () => {
  fake = await startFakeAws({ parameters: { [KEY_PARAMETER]: '0123456789abcdef0123456789abcdef' } })
})
afterEach(async () => {
  await fake.close()
})

/** Registers, then runs again on the output with register false: the second run must change nothing. */
async function registerTwice(
  td: Json,
  extra: Record<string, string> = {}
): Promise<{ first: RunActionResult; registered: Json }> {
  const first = await runAction(inputs(write(td), extra), { fake })
  expect({ code: first.code, out: first.code === 0 ? '' : failure(first) }).toEqual({ code: 0, out: '' })
  expect(fake.registered).toHaveLength(1)
  const registered = fake.registered[0] as Json
  expect(registered).toEqual(JSON.parse(output(first)))
  const second = await runAction(inputs(first.outputs['task-definition']!, { ...extra, register: 'false' }), { fake })
  expect(second.code).toBe(0)
  expect(output(second)).toBe(output(first))
  return { first, registered }
}

describe('Fargate tasks whose containers already reserve all of the task memory', () => {
  it.each([
    ['256', '512', { memory: 512 }, 'web memory 512', '"memory": "1024" with "cpu": "256" or "512"'],
    [
      '256',
      '512',
      { memoryReservation: 512 },
      'web memoryReservation 512',
      '"memory": "1024" with "cpu": "256" or "512"'
    ],
    ['512', '1024', { memory: 1024 }, 'web memory 1024', '"memory": "2048" with "cpu": "256" or "512" or "1024"'],
    [
      '1024',
      '2048',
      { memoryReservation: 2048 },
      'web memoryReservation 2048',
      '"memory": "3072" with "cpu": "512" or "1024"'
    ],
    ['4096', '8192', { memory: 8192 }, 'web memory 8192', '"memory": "9216" with "cpu": "2048" or "4096"']
  ])(
    'cpu %s memory %s (%j): router added without a reservation, with the numbers',
    async (cpu, memory, app, part, size) => {
      const { first, registered } = await registerTwice(fargate(cpu, memory, app))
      const router = byName(registered)['log-router']!
      expect(router).not.toHaveProperty('memoryReservation')
      expect(router.firelensConfiguration.type).toBe('fluentbit')
      const warning = warnings(first).find(w => w.includes('added without a memoryReservation'))
      expect(warning).toContain(
        `the task's memory is ${memory} MiB and its containers already reserve ${memory} MiB (${part})`
      )
      expect(warning).toContain(size)
      expect(warning).toContain('set `log-router-memory: 50`')
      expect(first.summary).toContain("no memoryReservation (shares the task's memory)")
    }
  )

  it('the Agent too: both sidecars share the task memory, each said with its numbers', async () => {
    const { first, registered } = await registerTwice(fargate('256', '512', { memory: 512 }), { agent: 'true' })
    const { 'log-router': router, 'datadog-agent': agent } = byName(registered)
    expect(router).not.toHaveProperty('memoryReservation')
    expect(agent).not.toHaveProperty('memoryReservation')
    expect(warnings(first).filter(w => w.includes('added without a memoryReservation'))).toHaveLength(2)
  })

  it('keeps the default reservations when they fit', async () => {
    const { registered } = await registerTwice(fargate('512', '1024', { memoryReservation: 512 }), { agent: 'true' })
    expect(byName(registered)['log-router']!.memoryReservation).toBe(50)
    expect(byName(registered)['datadog-agent']!.memoryReservation).toBe(256)
  })

  it('refuses a log-router-memory the user set that does not fit, before any AWS call, with the nearest size', async () => {
    const result = await runAction(
      inputs(write(fargate('256', '512', { memory: 512 })), { 'log-router-memory': '64' }),
      { fake }
    )
    expect(result.code).toBe(1)
    expect(errors(result)).toContain(
      "Input `log-router-memory` reserves 64 MiB for log-router, which does not fit: the task's memory is 512 MiB and its containers already reserve 512 MiB (web memory 512), so 576 MiB would be needed."
    )
    expect(errors(result)).toContain('"memory": "1024" with "cpu": "256" or "512"')
    expect(fake.calls).toEqual([])
    expect(fake.registered).toEqual([])
  })

  it('refuses an agent-memory the user set that does not fit', async () => {
    const result = await runAction(
      inputs(write(fargate('512', '1024', { memory: 1000 })), { agent: 'true', 'agent-memory': '256' }),
      { fake }
    )
    expect(result.code).toBe(1)
    expect(errors(result)).toContain('Input `agent-memory` reserves 256 MiB for datadog-agent, which does not fit')
    expect(fake.registered).toEqual([])
  })

  it('log-router-memory: 0 and agent-memory: 0 mean no reservation', async () => {
    const { registered } = await registerTwice(fargate('512', '1024', {}), {
      'log-router-memory': '0',
      agent: 'true',
      'agent-memory': '0'
    })
    expect(byName(registered)['log-router']).not.toHaveProperty('memoryReservation')
    expect(byName(registered)['datadog-agent']).not.toHaveProperty('memoryReservation')
  })

  it('names the field that is set when the containers of the file already do not fit', async () => {
    const td = fargate('256', '512', { memory: 400 })
    td.containerDefinitions.push({ name: 'sidecar', image: 'busybox:1.36', memory: 200 })
    const result = await runAction(inputs(write(td)), { fake })
    expect(result.code).toBe(1)
    expect(errors(result)).toContain('reserve 600 MiB (web memory 400, sidecar memory 200)')
    expect(errors(result)).toContain(`lower the containers' "memory"`)
    expect(fake.registered).toEqual([])
  })
})

describe('EC2 tasks', () => {
  it('with a task-level memory the containers fill: the router shares it', async () => {
    const { registered } = await registerTwice(ec2('512', { memory: 512 }))
    expect(byName(registered)['log-router']).not.toHaveProperty('memoryReservation')
  })

  it('without a task-level memory: the router reserves its default, which ECS needs there', async () => {
    const { registered } = await registerTwice(ec2(undefined, { memory: 512 }))
    expect(byName(registered)['log-router']!.memoryReservation).toBe(50)
  })

  it('without a task-level memory, log-router-memory: 0 is refused with the reason', async () => {
    const result = await runAction(inputs(write(ec2(undefined, { memory: 512 })), { 'log-router-memory': '0' }), {
      fake
    })
    expect(result.code).toBe(1)
    expect(errors(result)).toContain(
      'Input `log-router-memory` is 0 (no memory reservation), but the task has no task-level "memory": on EC2 ECS then needs "memory" or "memoryReservation" on every container'
    )
    expect(fake.calls).toEqual([])
  })

  it('the fake ECS refuses a container without memory on EC2 without task memory, as ECS does', async () => {
    const result = await runAction(inputs(write(ec2(undefined, {}))), { fake })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("At least one of 'memory' or 'memoryReservation' must be specified")
  })
})

describe('log routers on images the action does not recognise', () => {
  const withRouter = (image: string, options: Json = { 'enable-ecs-log-metadata': 'true' }): Json =>
    fargate(
      '512',
      '1024',
      { logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'datadog' } } },
      {
        containerDefinitions: [
          {
            name: 'web',
            image: 'nginx:1.27',
            essential: true,
            logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'cloudwatch_logs', region: 'us-east-1' } }
          },
          {
            name: 'log_router',
            image,
            essential: true,
            memoryReservation: 64,
            firelensConfiguration: { type: 'fluentbit', options }
          }
        ]
      }
    )

  it.each([
    [
      'built FROM aws-for-fluent-bit with its config baked in',
      '111122223333.dkr.ecr.us-east-1.amazonaws.com/platform/log-router:2026.11.3',
      {
        'enable-ecs-log-metadata': 'true',
        'config-file-type': 'file',
        'config-file-value': '/fluent-bit/etc/extra.conf'
      }
    ],
    [
      "a vendor's Fluent Bit",
      'registry.vendor.example/observability/fluentbit-distro:24.7.1',
      { 'enable-ecs-log-metadata': 'true' }
    ],
    [
      'a private mirror under another name',
      '111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirrors/logging/router:3.4.17',
      { 'enable-ecs-log-metadata': 'true' }
    ],
    ['a registry on localhost', 'localhost:5000/router:1', { 'enable-ecs-log-metadata': 'true' }]
  ])('%s is kept and patched, with one warning', async (_what, image, options) => {
    const { first, registered } = await registerTwice(withRouter(image, options))
    const router = byName(registered).log_router!
    expect(router.image).toBe(image)
    expect(router.memoryReservation).toBe(64)
    expect(router.firelensConfiguration).toEqual({ type: 'fluentbit', options })
    expect(byName(registered).web!.logConfiguration.options.Name).toBe('datadog')
    const mine = warnings(first).filter(w => w.includes('not one this action recognises'))
    expect(mine).toHaveLength(1)
    expect(mine[0]).toContain('Its Fluent Bit version is unknown')
  })

  it('warns, naming the version, for an option only newer Fluent Bit has', async () => {
    const { first } = await registerTwice(withRouter('acme/router:1'), { 'log-options': 'dd_hostname=web' })
    expect(warnings(first).join('\n')).toContain('sets dd_hostname, which Fluent Bit has only from 3.1.0 on')
  })

  it('refuses that option on an aws-for-fluent-bit 2.x router, with the end-of-life hint', async () => {
    const result = await runAction(
      inputs(write(withRouter('public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.3')), {
        'log-options': 'dd_hostname=web'
      }),
      { fake }
    )
    expect(result.code).toBe(1)
    expect(errors(result)).toContain('aws-for-fluent-bit 2.32.3 bundles Fluent Bit 1.9.10')
    expect(errors(result)).toContain('end of life on 2026-06-30')
    expect(fake.calls).toEqual([])
  })

  it('a fluentd router is still refused, with the fix', async () => {
    const td = withRouter('fluent/fluentd:v1.17-1')
    td.containerDefinitions[1].firelensConfiguration.type = 'fluentd'
    const result = await runAction(inputs(write(td)), { fake })
    expect(result.code).toBe(1)
    expect(errors(result)).toContain('The log router "log_router" is not Fluent Bit')
    expect(errors(result)).toContain('Set `log-router-image`')
    expect(fake.calls).toEqual([])
  })
})

describe('leftover placeholders', () => {
  it.each([
    ['<IMAGE1_NAME>', /CodeDeploy .*set `register: false`/s],
    ['${IMAGE}', /Fill them in before this step/],
    ['{{ .Values.image }}', /Fill them in before this step/],
    ['$$$IMAGE$$$', /Fill them in before this step/],
    ['%IMAGE%', /Fill them in before this step/],
    ['', /Give every container an "image"/]
  ])('image %j with register true: refused before any AWS call, naming the field and value', async (image, hint) => {
    const result = await runAction(inputs(write(fargate('512', '1024', { image }))), { fake })
    expect(result.code).toBe(1)
    expect(errors(result)).toContain(
      image === ''
        ? 'containerDefinitions[web].image is empty or missing'
        : `containerDefinitions[web].image is ${JSON.stringify(image)}`
    )
    expect(errors(result)).toMatch(hint)
    expect(fake.calls).toEqual([])
  })

  it('reports every placeholder of the file together', async () => {
    const td = fargate('512', '1024', { image: '<IMAGE1_NAME>' })
    td.containerDefinitions.push({ name: 'worker', image: '' })
    const result = await runAction(inputs(write(td)), { fake })
    expect(errors(result)).toContain(
      'containerDefinitions[web].image is "<IMAGE1_NAME>" (CodeDeploy\'s placeholder); containerDefinitions[worker].image is empty or missing'
    )
  })

  it('with register false: kept verbatim, said in a notice', async () => {
    const result = await runAction(
      inputs(write(fargate('512', '1024', { image: '<IMAGE1_NAME>' })), { register: 'false' }),
      { fake }
    )
    expect({ code: result.code, out: result.code === 0 ? '' : failure(result) }).toEqual({ code: 0, out: '' })
    expect(byName(JSON.parse(output(result))).web!.image).toBe('<IMAGE1_NAME>')
    expect(result.stdout).toMatch(/::notice[^\n]*Kept as written for the step that fills them in/)
    expect(fake.registered).toEqual([])
  })
})
