// What Fluent Bit or ECS would refuse later is refused here, end to end through dist/index.js: exit 1, an ::error
// that names the input or JSON path and the fix, no AWS call (register: true against a fake, so a missed refusal
// would show up as calls), and no secret in stdout, stderr, the summary or the output file.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeAws, type FakeAws } from '../../__fixtures__/fake-aws.mjs'
import { exampleTaskDefinition, runAction, type RunActionResult } from './run-action.js'

const KEY = 'f00dfeedf00dfeedf00dfeedf00dfeed'
/** A key a user pastes where it does not belong: an API key (32 hex) and an application key (40 hex). */
const PASTED_KEY = '9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e'
const APPLICATION_KEY = '4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a'
const PARAMETER = '/prod/datadog/api-key'
const SECRETS = [KEY, PASTED_KEY, APPLICATION_KEY]

const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  'task-definition': exampleTaskDefinition('fargate-web.json'),
  site: 'ap1',
  'api-key-secret': PARAMETER,
  register: 'true',
  // The role checks have tests of their own (roles.test.ts); this fake has no IAM roles seeded.
  'verify-roles': 'false',
  ...extra
})
const lines = (result: RunActionResult): string[] => result.stdout.split('\n')
const errorLines = (result: RunActionResult): string[] => lines(result).filter(l => l.startsWith('::error'))
/** An annotation as @actions/core writes it: the message's newlines are %0A. */
const text = (line: string): string => line.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')

// The tests edit parsed JSON freely: a typed view would only add casts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>
/** fargate-web.json, edited, in a fresh temp dir. */
const edited = (edit: (td: Json) => void): string => {
  const file = exampleTaskDefinition('fargate-web.json')
  const td = JSON.parse(readFileSync(file, 'utf8')) as Json
  edit(td)
  writeFileSync(file, JSON.stringify(td, null, 2))
  return file
}
/** A file with this text in a fresh temp dir. */
const written = (name: string, content: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'dd-firelens-td-')), name)
  writeFileSync(file, content)
  return file
}

/** No secret anywhere a user or a later step can read it; a pasted key only inside its own ::add-mask:: line. */
function expectNoSecret(result: RunActionResult): void {
  for (const secret of SECRETS) {
    for (const variant of [secret, secret.toUpperCase()]) {
      expect(lines(result).filter(l => l !== `::add-mask::${variant}` && l.includes(variant))).toEqual([])
      expect(result.stderr).not.toContain(variant)
      expect(result.summary).not.toContain(variant)
      expect(JSON.stringify(result.outputs)).not.toContain(variant)
      const output = result.outputs['task-definition']
      if (output && existsSync(output)) expect(readFileSync(output, 'utf8')).not.toContain(variant)
    }
  }
}

let fake: FakeAws
beforeEach(async () => {
  fake = await startFakeAws({ parameters: { [PARAMETER]: KEY } })
})
afterEach(async () => {
  await fake.close()
})

/** Exit 1, one ::error whose text matches every pattern, nothing called, nothing registered, no secret. */
function expectRefused(result: RunActionResult, ...patterns: (string | RegExp)[]): string {
  expect(result.code).toBe(1)
  const errors = errorLines(result)
  expect(errors).toHaveLength(1)
  const message = text(errors[0]!)
  for (const pattern of patterns) {
    if (typeof pattern === 'string') expect(message).toContain(pattern)
    else expect(message).toMatch(pattern)
  }
  expect(message).not.toContain('Unexpected error')
  expect(fake.calls).toEqual([])
  expect(fake.registered).toEqual([])
  expect(result.outputs['task-definition-arn']).toBeUndefined()
  expectNoSecret(result)
  return message
}

describe('log-options: only names the router accepts', () => {
  it.each([
    ['Retry_Limt=2', '"Retry_Limt"', 'Did you mean Retry_Limit?'],
    ['dd_host=web', '"dd_host"', 'Did you mean dd_hostname?'],
    ['RETRY-LIMIT=2', '"RETRY-LIMIT"', 'Did you mean Retry_Limit?'],
    ['net.keepalive_idle_timout=30', '"net.keepalive_idle_timout"', 'Did you mean net.keepalive_idle_timeout?']
  ])('refuses %j with the closest valid name', async (option, quoted, hint) => {
    const result = await runAction(inputs({ 'log-options': `compress=gzip\n${option}` }), { fake })
    expectRefused(
      result,
      `Input \`log-options\` line 2 sets ${quoted}, which is not an option of Fluent Bit's datadog output: the log router would refuse its configuration and stop the task.`,
      hint
    )
  })

  it('takes names of every family, in any case, and registers them', async () => {
    const result = await runAction(
      inputs({ 'log-options': 'retry_limit=2\nWorkers=2\nTLS.VERIFY=on\nnet.keepalive=off\nDD_HOSTNAME=web' }),
      { fake }
    )
    expect(result.code).toBe(0)
    expect(fake.registered[0].containerDefinitions[0].logConfiguration.options).toMatchObject({
      retry_limit: '2',
      Workers: '2',
      'TLS.VERIFY': 'on',
      'net.keepalive': 'off',
      DD_HOSTNAME: 'web'
    })
    expectNoSecret(result)
  })
})

describe('log-options: names FireLens or the action own', () => {
  it.each([
    ['Name=cloudwatch', 'Name', 'this action', 'The output is always datadog'],
    ['host=http-intake.logs.datadoghq.com', 'Host', 'this action', 'set `site` instead'],
    ['Tls=off', 'TLS', 'this action', 'TLS is always on'],
    ['APIKEY=x', 'apikey', 'this action', '`api-key-secret`'],
    ['Match=*', 'Match', 'FireLens', 'Match <container>-firelens*'],
    ['match_regex=.*', 'Match_Regex', 'FireLens', "other containers' logs"],
    ['dd_service=web', 'dd_service', 'this action', 'Set the `service` input instead'],
    ['DD_SOURCE=python', 'dd_source', 'this action', 'Set the `source` input instead'],
    ['dd_Tags=team:web', 'dd_tags', 'this action', 'Set the `tags` input instead']
  ])('refuses %j, pointing at what to use instead', async (option, name, owner, hint) => {
    const result = await runAction(inputs({ 'log-options': option }), { fake })
    expectRefused(result, `Input \`log-options\` line 1 sets ${name}, which ${owner} controls.`, hint)
  })
})

describe('log-options: TLS verification stays on', () => {
  it.each(['tls.verify=off', 'TLS.Verify=False', 'tls.verify=no', 'tls.verify=0', 'tls.verify_hostname=off'])(
    'refuses %j',
    async option => {
      const result = await runAction(inputs({ 'log-options': option }), { fake })
      expectRefused(
        result,
        /line 1 sets tls\.verify(_hostname)? to ".*", which turns off checking/,
        'whoever intercepts'
      )
    }
  )
})

describe('log-options: a Datadog key in clear text', () => {
  it.each([
    ['under any name', `api_key=${PASTED_KEY}`, PASTED_KEY],
    ['inside a value', `header=DD-API-KEY: ${PASTED_KEY}`, PASTED_KEY],
    ['on a malformed line', `apikey: ${PASTED_KEY}`, PASTED_KEY],
    ['an application key, upper case', `Retry_Limit=${APPLICATION_KEY.toUpperCase()}`, APPLICATION_KEY.toUpperCase()]
  ])('is masked first and refused without quoting the line (%s)', async (_what, option, key) => {
    const result = await runAction(inputs({ 'log-options': `compress=gzip\n${option}` }), { fake })
    expectRefused(
      result,
      'Input `log-options` line 2 holds what looks like a Datadog API or application key',
      'rotate that key'
    )
    const out = lines(result)
    const mask = out.indexOf(`::add-mask::${key}`)
    expect(mask).toBeGreaterThanOrEqual(0)
    expect(mask).toBeLessThan(out.findIndex(l => l.startsWith('::error')))
  })

  it('keeps the checks of the form, control characters and empty values', async () => {
    expectRefused(await runAction(inputs({ 'log-options': 'Retry_Limit 2' }), { fake }), 'which is not key=value')
    expectRefused(await runAction(inputs({ 'log-options': 'Retry_Limit=' }), { fake }), 'empty value')
    expectRefused(
      await runAction(inputs({ 'log-options': 'Retry_Limit=2\tx' }), { fake }),
      'contains a control character (U+0009)'
    )
  })
})

describe('api-key-secret: an application key', () => {
  it('is refused and masked like an API key', async () => {
    const result = await runAction(inputs({ 'api-key-secret': APPLICATION_KEY }), { fake })
    expectRefused(result, 'Input `api-key-secret` looks like a Datadog application key', 'revoke this application key')
    expect(lines(result)[0]).toBe(`::add-mask::${APPLICATION_KEY}`)
  })
})

describe('the task definition file: types against the ECS model', () => {
  it('converts numbers and booleans where ECS wants strings, with a notice, and registers strings', async () => {
    const file = written(
      'web.yaml',
      [
        'family: web',
        'executionRoleArn: arn:aws:iam::111122223333:role/ecsTaskExecutionRole',
        'networkMode: awsvpc',
        'requiresCompatibilities: [FARGATE]',
        'cpu: 256',
        'memory: 1024',
        'containerDefinitions:',
        '  - name: web',
        '    image: nginx:1.27',
        '    memoryReservation: 256',
        '    environment:',
        '      - {name: DEBUG, value: true}',
        '      - {name: APP_VERSION, value: 1.10}',
        ''
      ].join('\n')
    )
    const result = await runAction(inputs({ 'task-definition': file }), { fake })
    expect(result.code).toBe(0)
    const notice = lines(result).find(l => l.startsWith('::notice') && l.includes('converted as written'))!
    expect(notice).toContain(`file=${file}`)
    expect(notice).toContain(
      'cpu (number), memory (number), containerDefinitions[web].environment[DEBUG].value (boolean), containerDefinitions[web].environment[APP_VERSION].value (number)'
    )
    const registered = fake.registered[0]
    expect(registered).toMatchObject({ cpu: '256', memory: '1024' })
    expect(registered.containerDefinitions[0].memoryReservation).toBe(256)
    expect(registered.containerDefinitions[0].environment).toEqual(
      expect.arrayContaining([
        { name: 'DEBUG', value: 'true' },
        { name: 'APP_VERSION', value: '1.10' }
      ])
    )
    expectNoSecret(result)
  })

  it.each([
    [
      'a string where ECS wants a list',
      (td: Json) => (td.containerDefinitions[0].command = 'npm start'),
      'containerDefinitions[web].command is a string, but ECS wants a list of strings.'
    ],
    [
      'an object where ECS wants a string',
      (td: Json) => (td.containerDefinitions[0].environment[0].value = { a: 1 }),
      'containerDefinitions[web].environment[LOG_FORMAT].value is an object, but ECS wants a string.'
    ],
    [
      'a quoted number where ECS wants a whole number',
      (td: Json) => (td.containerDefinitions[0].memoryReservation = '512'),
      'containerDefinitions[web].memoryReservation is a string, but ECS wants a whole number.'
    ],
    [
      'a string where ECS wants a boolean',
      (td: Json) => (td.containerDefinitions[0].essential = 'true'),
      'containerDefinitions[web].essential is a string, but ECS wants true or false.'
    ],
    [
      'an object where ECS wants a list of objects',
      (td: Json) => (td.containerDefinitions[0].portMappings = { containerPort: 8000 }),
      'containerDefinitions[web].portMappings is an object, but ECS wants a list of objects (PortMapping).'
    ]
  ])('refuses %s, with the JSON path', async (_what, edit, message) => {
    const file = edited(edit)
    const result = await runAction(inputs({ 'task-definition': file }), { fake })
    expectRefused(result, `In ${file}, ${message}`, `file=${file}`)
  })

  it('reads a null member as absent: "logConfiguration": null is routed and registered', async () => {
    const file = edited(td => {
      td.containerDefinitions[0].logConfiguration = null
      td.taskRoleArn = null
    })
    const result = await runAction(inputs({ 'task-definition': file }), { fake })
    expect(result.code).toBe(0)
    const registered = fake.registered[0]
    expect(registered).not.toHaveProperty('taskRoleArn')
    expect(registered.containerDefinitions[0].logConfiguration.logDriver).toBe('awsfirelens')
    expect(result.summary).toContain('routed to Datadog (had no log configuration)')
    expectNoSecret(result)
  })

  it('strips deleteRequestedAt (and the other read-only keys) of describe output and registers the rest', async () => {
    const file = exampleTaskDefinition('describe-output.json')
    const describe = JSON.parse(readFileSync(file, 'utf8')) as Json
    describe.taskDefinition.deleteRequestedAt = '2026-10-01T00:00:00.000000+00:00'
    describe.taskDefinition.status = 'DELETE_IN_PROGRESS'
    writeFileSync(file, JSON.stringify(describe))
    const result = await runAction(inputs({ 'task-definition': file }), { fake })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Removed read-only keys ECS does not accept on registration: .*deleteRequestedAt/)
    expect(fake.registered[0]).not.toHaveProperty('deleteRequestedAt')
    expect(fake.registered[0]).not.toHaveProperty('status')
    expectNoSecret(result)
  })
})

describe('the task definition file: YAML', () => {
  it('resolves merge keys: every container keeps its image, and no key named << is written', async () => {
    const file = written(
      'web.yaml',
      [
        'x-base: &base',
        '  image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/web:4b1e2c9',
        '  essential: true',
        '  memoryReservation: 128',
        'family: web',
        'executionRoleArn: arn:aws:iam::111122223333:role/ecsTaskExecutionRole',
        'networkMode: awsvpc',
        'requiresCompatibilities: [FARGATE]',
        "cpu: '512'",
        "memory: '1024'",
        'containerDefinitions:',
        '  - <<: *base',
        '    name: web',
        '  - <<: *base',
        '    name: worker',
        '    essential: false',
        ''
      ].join('\n')
    )
    const result = await runAction(inputs({ 'task-definition': file }), { fake })
    expect(result.code).toBe(0)
    const containers = fake.registered[0].containerDefinitions as Json[]
    expect(containers.map(c => [c.name, c.image, c.essential])).toEqual([
      ['web', '111122223333.dkr.ecr.us-east-1.amazonaws.com/web:4b1e2c9', true],
      ['worker', '111122223333.dkr.ecr.us-east-1.amazonaws.com/web:4b1e2c9', false],
      ['log-router', expect.stringContaining('aws-for-fluent-bit'), true]
    ])
    expect(readFileSync(result.outputs['task-definition']!, 'utf8')).not.toContain('<<')
    expectNoSecret(result)
  })

  it('calls a CloudFormation template (!Ref) what it is', async () => {
    const file = written(
      'template.yaml',
      'family: web\nexecutionRoleArn: !GetAtt ExecutionRole.Arn\ncontainerDefinitions:\n  - name: web\n    image: !Ref Image\n'
    )
    const result = await runAction(inputs({ 'task-definition': file }), { fake })
    expectRefused(
      result,
      `The task definition file ${file} has a YAML warning at line 2, column 19: Unresolved tag: !GetAtt.`,
      'This looks like a template (CloudFormation !Ref, !Sub …), not a task definition.',
      'not at a template that still has to be rendered'
    )
  })

  it('refuses an alias bomb as an input error, quickly', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for (const [from, to] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['f', 'g'],
      ['g', 'h']
    ])
      bomb.push(`${to}: &${to} [${Array(9).fill(`*${from}`).join(',')}]`)
    bomb.push('family: web', 'containerDefinitions: [{name: web, image: nginx}]')
    const file = written('bomb.yaml', `${bomb.join('\n')}\n`)
    const result = await runAction(inputs({ 'task-definition': file }), { fake, timeoutMs: 30_000 })
    expect(result.timedOut).toBe(false)
    expectRefused(result, 'uses YAML aliases (*name) that expand out of all proportion')
  })
})

describe('the task definition file: names, size', () => {
  it.each(['my app', 'web.v2', 'a'.repeat(256)])('refuses the container name %j, as ECS would', async name => {
    const file = edited(td => (td.containerDefinitions[0].name = name))
    const result = await runAction(inputs({ 'task-definition': file }), { fake })
    expectRefused(
      result,
      `containerDefinitions[0] in ${file} is named`,
      'which ECS does not accept as a container name',
      'Use up to 255 letters, digits, hyphens and underscores'
    )
  })

  it.each([
    ['registering', 'true'],
    ['a dry run', 'false']
  ])(
    'refuses a patched definition over 64 KiB, with its size before and after the patch (%s)',
    async (_w, register) => {
      const file = edited(td => td.containerDefinitions[0].environment.push({ name: 'BIG', value: 'x'.repeat(64_800) }))
      const result = await runAction(inputs({ 'task-definition': file, register }), { fake })
      expectRefused(
        result,
        /The patched task definition in .* is 6\d,\d{3} bytes as RegisterTaskDefinition sends it \(65,\d{3} bytes before the patch, which added \d{1,3}(,\d{3})? bytes\); ECS accepts at most 65,536 bytes \(64 KiB\)\./,
        'environmentFiles or secrets'
      )
    }
  )
})

describe('inputs that become tags', () => {
  it.each(['check out', 'web,api'])('refuses service %j, as env and version', async service => {
    const result = await runAction(inputs({ service }), { fake })
    expectRefused(result, `Input \`service\` is ${JSON.stringify(service)}, which contains a space or comma.`)
  })
})

describe('the job summary', () => {
  it('shows what a user wrote without letting it break the Markdown', async () => {
    const file = edited(td => {
      td.containerDefinitions[0].logConfiguration = {
        logDriver: 'awsfirelens',
        options: { Name: 'cloud`watch|x<b>*y*' }
      }
    })
    const result = await runAction(inputs({ 'task-definition': file, tags: 'team:a|b' }), { fake })
    expect(result.code).toBe(0)
    const row = result.summary.split('\n').find(l => l.startsWith('| `web` |'))!
    // Three cells: no pipe the user wrote splits it (cmark-gfm splits on a pipe without a backslash before it).
    expect(row.split(/(?<!\\)\|/).slice(1, -1)).toHaveLength(3)
    expect(row).toContain('cloud\\`watch\\|x\\<b\\>\\*y\\*')
    expectNoSecret(result)
  })
})

describe('sites: UK1', () => {
  it('routes uk1 to http-intake.logs.uk1.datadoghq.com', async () => {
    const result = await runAction(inputs({ site: 'uk1.datadoghq.com' }), { fake })
    expect(result.code).toBe(0)
    expect(fake.registered[0].containerDefinitions[0].logConfiguration.options.Host).toBe(
      'http-intake.logs.uk1.datadoghq.com'
    )
    expect(result.summary).toContain('| Site | UK1 → `http-intake.logs.uk1.datadoghq.com` |')
  })

  it('is probed by validate-api-key: a UK1 key used with site AP1 is refused, naming UK1', async () => {
    const sites = await startFakeAws({ validKeysByDomain: { 'uk1.datadoghq.com': [KEY] } })
    try {
      const result = await runAction(inputs({ 'validate-api-key': 'true' }), {
        fake,
        env: { DATADOG_FIRELENS_API_URL_TEMPLATE: `${sites.url}/{domain}` }
      })
      expect(result.code).toBe(1)
      expect(text(errorLines(result)[0]!)).toContain(
        'The Datadog API key belongs to UK1 (uk1.datadoghq.com), not to AP1: logs sent to AP1 would be rejected with HTTP 403.\nSet site: UK1.'
      )
      expect(sites.calls.map(c => c.domain)).toContain('uk1.datadoghq.com')
      expect(fake.registered).toEqual([])
      expectNoSecret(result)
    } finally {
      await sites.close()
    }
  })
})
