// Issue 20 through the bundle (dist/index.js), as a runner runs it: every option a run rewrites is named with its old
// and new value, register: false with a region is not called a dry run, every input and file error comes in one run
// on its line, a failed run writes its summary, and option values the router misreads or refuses are said.
import { NO_REGION } from '../../__fixtures__/action-env.mjs'
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, type RunActionResult } from './run-action.js'

// The tests build and read task definitions freely: a typed view would only add casts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

const KEY = 'f00dfeedf00dfeedf00dfeedf00dfeed'
const ROUTER = {
  name: 'log_router',
  image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.17',
  essential: true,
  firelensConfiguration: { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'true' } },
  memoryReservation: 50
}
const task = (containers: Json[]): Json => ({
  family: 'checkout',
  executionRoleArn: 'arn:aws:iam::111122223333:role/ecsTaskExecutionRole',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '1024',
  memory: '2048',
  containerDefinitions: containers
})
const write = (content: string, name = 'task-definition.json'): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'dd-firelens-20-')), name)
  writeFileSync(path, content)
  return path
}
const run = (
  td: Json | string,
  extra: Record<string, string> = {},
  env: Record<string, string> = NO_REGION
): Promise<RunActionResult> =>
  runAction(
    {
      'task-definition': typeof td === 'string' ? td : write(JSON.stringify(td, null, 2)),
      site: 'us5',
      'api-key-secret': '/prod/DATADOG_API_KEY',
      register: 'false',
      'git-metadata': 'false',
      ...extra
    },
    { env }
  )
/** Annotations of one kind, as @actions/core writes them (properties, then the message with %0A for newlines). */
const annotations = (result: RunActionResult, kind: 'error' | 'warning' | 'notice'): string[] =>
  result.stdout
    .split('\n')
    .filter(l => l.startsWith(`::${kind}`))
    .map(l => l.replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%'))
const patched = (result: RunActionResult): Json =>
  JSON.parse(readFileSync(result.outputs['task-definition']!, 'utf8')) as Json
const byName = (td: Json, name: string): Json => td.containerDefinitions.find((c: Json) => c.name === name)

/** The issue's case: describe output routed to US1, TLS off, the key at /dd/old_key. */
const describeOutput = (): string =>
  write(
    JSON.stringify(
      {
        taskDefinition: {
          ...task([
            {
              name: 'web',
              image: 'web:1',
              essential: true,
              logConfiguration: {
                logDriver: 'awsfirelens',
                options: {
                  Name: 'datadog',
                  Host: 'http-intake.logs.datadoghq.com',
                  TLS: 'off',
                  dd_service: 'web',
                  dd_tags: 'env:staging,team:platform',
                  retry_limit: '5'
                },
                secretOptions: [{ name: 'apikey', valueFrom: '/dd/old_key' }]
              }
            },
            { ...ROUTER, image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0' }
          ]),
          revision: 3,
          status: 'ACTIVE'
        }
      },
      null,
      2
    )
  )

describe('no silent rewrite', () => {
  it('names every option it changes with its old and new value, one notice per container and in the summary', async () => {
    const result = await run(describeOutput(), {
      tags: 'env:prod',
      'log-options': 'retry_limit=3',
      'log-router-image': 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.17'
    })
    expect(result.code).toBe(0)
    const notices = annotations(result, 'notice')
    const web = notices.filter(n => /::web: changed what it already had/.test(n))
    expect(web).toHaveLength(1)
    for (const said of [
      'Host http-intake.logs.datadoghq.com → http-intake.logs.us5.datadoghq.com',
      'TLS off → on',
      'secretOptions apikey /dd/old_key → /prod/DATADOG_API_KEY',
      'dd_tags env:staging → env:prod',
      'retry_limit 5 → 3'
    ])
      expect(web[0]).toContain(said)
    const router = notices.filter(n => /::log_router: changed what it already had/.test(n))
    expect(router).toEqual([
      expect.stringContaining('image public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0 → ')
    ])
    expect(result.summary).toContain(
      '| `web` | updated | Datadog output options updated: Host `http-intake.logs.datadoghq.com` → `http-intake.logs.us5.datadoghq.com`; TLS `off` → `on`;'
    )
    expect(result.summary).toContain('secretOptions apikey `/dd/old_key` → `/prod/DATADOG_API_KEY`')
  })

  it('says nothing more on its own output: a second run changes nothing and names no edit', async () => {
    const first = await run(describeOutput())
    const output = readFileSync(first.outputs['task-definition']!, 'utf8')
    const second = await run(write(output))
    expect(readFileSync(second.outputs['task-definition']!, 'utf8')).toBe(output)
    expect(second.code).toBe(0)
    expect(annotations(second, 'notice').filter(n => /changed what it already had/.test(n))).toEqual([])
  })

  it('moves a routed container’s clear-text DD_API_KEY to secrets from api-key-secret, as README says', async () => {
    const result = await run(
      task([{ name: 'web', image: 'web:1', environment: [{ name: 'DD_API_KEY', value: KEY }] }, ROUTER])
    )
    expect(result.code).toBe(0)
    const web = byName(patched(result), 'web')
    expect(web.environment ?? []).not.toContainEqual(expect.objectContaining({ name: 'DD_API_KEY' }))
    expect(web.secrets).toEqual([{ name: 'DD_API_KEY', valueFrom: '/prod/DATADOG_API_KEY' }])
    const warnings = annotations(result, 'warning').join('\n')
    expect(warnings).toMatch(/web: DD_API_KEY was set in clear text in its environment; it was removed/)
    expect(warnings).not.toMatch(/this run left it there/)
    expect(result.stdout.split('\n').filter(l => l.includes(KEY) && !l.startsWith('::add-mask::'))).toEqual([])
    expect(result.summary).not.toContain(KEY)
  })
})

describe('register: false', () => {
  it('with a region: "not registered here: the deploy step registers this file", never "dry run"', async () => {
    const result = await run(
      describeOutput(),
      { 'verify-secret': 'false', 'verify-roles': 'false' },
      { AWS_REGION: 'us-east-1' }
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      '::group::Datadog FireLens: not registered here: the deploy step registers this file'
    )
    expect(result.summary).toContain('| Task definition | not registered here: the deploy step registers this file |')
    expect(`${result.stdout}${result.summary}`).not.toMatch(/dry run/i)
  })

  it('without a region: a dry run', async () => {
    const result = await run(describeOutput())
    expect(result.stdout).toContain('::group::Datadog FireLens: dry run: not registered')
    expect(result.summary).toContain('| Task definition | dry run: not registered |')
  })
})

describe('every input error at once', () => {
  it('reports three bad log-options lines in one run, each its own ::error', async () => {
    const result = await run(describeOutput(), {
      'log-options': 'Retry_Limt=2\nLog_Level=verbose\nstorage.total_limit_size=lots\ncompress=gzip'
    })
    expect(result.code).toBe(1)
    const errors = annotations(result, 'error')
    expect(errors).toHaveLength(3)
    expect(errors[0]).toMatch(/line 1 sets "Retry_Limt".*Did you mean Retry_Limit\?/s)
    expect(errors[1]).toMatch(/line 2 sets Log_Level to "verbose", which is not a log level/)
    expect(errors[2]).toMatch(/line 3 sets storage\.total_limit_size to "lots", which is not a size/)
    expect(result.outputs['task-definition']).toBeUndefined()
  })

  it('reports site: eu, a pasted key and a bad option together, with a suggestion, and never the key', async () => {
    const result = await run(describeOutput(), { site: 'eu', 'api-key-secret': KEY, 'log-options': 'retry_limt=2' })
    expect(result.code).toBe(1)
    const errors = annotations(result, 'error')
    expect(errors).toHaveLength(3)
    expect(errors[0]).toMatch(/`site` is "eu".*Did you mean EU1 \(datadoghq\.eu\)\?/s)
    expect(errors[1]).toMatch(/`api-key-secret` looks like a Datadog API key/)
    expect(errors[2]).toMatch(/line 1 sets "retry_limt"/)
    expect(result.stdout.split('\n').filter(l => l.includes(KEY) && l !== `::add-mask::${KEY}`)).toEqual([])
    expect(result.summary).not.toContain(KEY)
  })

  it.each([
    ['ap-1', 'AP1'],
    ['eu1.datadoghq.com', 'EU1'],
    ['us', 'US1']
  ])('suggests for site %j: did you mean %s', async (site, code) => {
    const result = await run(describeOutput(), { site })
    expect(result.code).toBe(1)
    expect(annotations(result, 'error').join('\n')).toContain(`Did you mean ${code} (`)
  })
})

describe('annotations that land on the line', () => {
  it('gives line and col for a JSON syntax error', async () => {
    const file = write(
      '{\n  "family": "web",\n  "containerDefinitions": [\n    { "name": "web", "image": "x" },,\n  ]\n}\n'
    )
    const result = await run(file)
    expect(result.code).toBe(1)
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(new RegExp(`^::error title=Datadog FireLens,file=${file},line=4,col=\\d+::`))
    ])
  })

  it('maps each JSON path of the file back to its line and column, in JSON and YAML', async () => {
    const json = write(
      '{\n  "family": "web",\n  "cpu": [256],\n  "containerDefinitions": [\n    { "name": "web", "essential": 1 }\n  ]\n}\n'
    )
    const fromJson = annotations(await run(json), 'error')
    expect(fromJson).toEqual([
      expect.stringMatching(
        new RegExp(`^::error title=Datadog FireLens,file=${json},line=3,col=3::In .*cpu is a list`)
      ),
      expect.stringMatching(new RegExp(`,line=5,col=22::In .*containerDefinitions\\[web\\]\\.essential is 1`))
    ])
    const yaml = write('family: web\ncpu: [256]\ncontainerDefinitions:\n  - name: web\n    essential: 1\n', 'td.yaml')
    expect(annotations(await run(yaml), 'error')).toEqual([
      expect.stringMatching(/,line=2,col=1::In .*cpu is a list/),
      expect.stringMatching(/,line=5,col=5::In .*essential is 1/)
    ])
  })

  it('places an option the router would refuse, and an unknown key, on their lines', async () => {
    const td = task([
      {
        name: 'web',
        image: 'web:1',
        Secrets: [],
        logConfiguration: {
          logDriver: 'awsfirelens',
          options: { Name: 'datadog', Log_Level: 'verbose' },
          secretOptions: [{ name: 'apikey', valueFrom: '/prod/DATADOG_API_KEY' }]
        }
      },
      ROUTER
    ])
    const text = JSON.stringify(td, null, 2)
    const file = write(text)
    const result = await run(file)
    expect(result.code).toBe(1)
    const lineOf = (needle: string): number => text.split('\n').findIndex(l => l.includes(needle)) + 1
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(new RegExp(`,line=${lineOf('"Log_Level"')},col=\\d+::.*sets Log_Level to "verbose"`))
    ])
  })
})

describe('the summary on failure', () => {
  it('writes what failed, where, and the fix', async () => {
    const result = await run(describeOutput(), { site: 'eu', 'log-options': 'Log_Level=verbose' })
    expect(result.code).toBe(1)
    expect(result.summary).toContain('### Datadog FireLens: checkout failed')
    expect(result.summary).toContain('Nothing was registered. The 2 errors, each with its fix:')
    expect(result.summary).toMatch(/- Input `site` is "eu".*<br>\*\*Fix:\*\* Did you mean EU1/)
    expect(result.summary).toMatch(
      /- Input `log-options` line 1 sets Log\\_Level.*<br>\*\*Fix:\*\* Use one of off, error/
    )
  })
})

describe('option values', () => {
  it('writes header "Name: value" as the router reads it, and says so', async () => {
    // header is a Fluent Bit 2.x+ name: the 2.32.0 router of the file would refuse it, so the pinned one.
    const result = await run(describeOutput(), {
      'log-options': 'header=X-Team: payments',
      'log-router-image': 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.17'
    })
    expect(result.code).toBe(0)
    expect(byName(patched(result), 'web').logConfiguration.options.header).toBe('X-Team payments')
    expect(annotations(result, 'notice').join('\n')).toMatch(/line 1 sets header as "Name: value".*"X-Team payments"/)
  })

  it('warns that oauth2.*, active and condition do nothing, and that a tls file must exist in the router', async () => {
    const result = await run(describeOutput(), {
      'log-options': 'oauth2.enable=true\nactive=false\ntls.ca_file=/certs/ca.pem'
    })
    expect(result.code).toBe(0)
    const warnings = annotations(result, 'warning').join('\n')
    expect(warnings).toMatch(
      /line 1 sets oauth2\.enable, which the log router accepts on every output but which does nothing/
    )
    expect(warnings).toMatch(/line 2 sets active, .*active false still delivers every log/)
    expect(warnings).toMatch(
      /line 3 sets tls\.ca_file to "\/certs\/ca\.pem": that path must exist inside the log router's container/
    )
    expect(warnings).not.toMatch(/would refuse/)
  })

  it('refuses tls.key_file without tls.crt_file', async () => {
    const result = await run(describeOutput(), { 'log-options': 'tls.key_file=/certs/k.pem' })
    expect(result.code).toBe(1)
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(/line 1 sets tls\.key_file without tls\.crt_file/)
    ])
  })

  it('warns past 100 tags on a log, counting the router’s own', async () => {
    const tags = Array.from({ length: 95 }, (_, i) => `k${i}:v`).join(',')
    const result = await run(describeOutput(), { tags })
    expect(result.code).toBe(0)
    expect(annotations(result, 'warning').join('\n')).toMatch(
      // 95 from `tags`, env:staging and team:platform from the file, 8 from the router.
      /web: its logs would carry 105 tags \(97 in dd_tags and about 8 the router adds with provider ecs\)/
    )
  })
})
