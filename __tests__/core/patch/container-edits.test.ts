import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { exampleTaskDefinition, patchConfig } from '../../../__fixtures__/patch-config.js'
import { containerEdits, editsNotice, formatEdit } from '../../../src/core/patch/container-edits.js'
import { patchTaskDefinition } from '../../../src/core/patch/patch-task-definition.js'
import { resolveSite } from '../../../src/core/sites.js'
import type { ContainerDefinition, TaskDefinition } from '../../../src/core/definition/task-definition.js'

const KEY = 'f00dfeedf00dfeedf00dfeedf00dfeed'

/** The case: a describe output routed to US1 with TLS off and /dd/old_key, patched for US5. */
const routedToUs1 = (): TaskDefinition => ({
  family: 'web',
  executionRoleArn: 'arn:aws:iam::111122223333:role/exec',
  containerDefinitions: [
    {
      name: 'web',
      image: 'web:1',
      environment: [{ name: 'DD_ENV', value: 'staging' }],
      logConfiguration: {
        logDriver: 'awsfirelens',
        options: {
          Name: 'datadog',
          Host: 'http-intake.logs.datadoghq.com',
          TLS: 'off',
          dd_service: 'web-old',
          dd_tags: 'env:staging,team:platform,owner:me',
          Retry_Limit: '5',
          header: 'X-Team: payments',
          apikey: KEY
        },
        secretOptions: [{ name: 'apikey', valueFrom: '/dd/old_key' }]
      }
    },
    {
      name: 'log_router',
      image: 'amazon/aws-for-fluent-bit:2.32.0',
      firelensConfiguration: { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'true' } }
    }
  ]
})

const us5 = patchConfig({
  site: resolveSite('us5'),
  apiKeySecret: { kind: 'ssm', value: '/prod/DATADOG_API_KEY', name: '/prod/DATADOG_API_KEY' },
  service: 'checkout',
  env: 'prod',
  tags: [{ key: 'team', value: 'payments' }],
  logOptions: [['retry_limit', '3']],
  logRouter: { name: 'log_router', memory: 50, image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.17' }
})

describe('what a run changed on a container that already had it', () => {
  it('names every rewritten option with its old and new value, the key by its reference only', () => {
    const { changes } = patchTaskDefinition(routedToUs1(), us5)
    const web = changes.find(c => c.container === 'web')!
    expect(web.edits!.map(formatEdit)).toEqual([
      'Host http-intake.logs.datadoghq.com → http-intake.logs.us5.datadoghq.com',
      'TLS off → on',
      'dd_service web-old → checkout',
      'dd_tags env:staging,team:platform → env:prod,team:payments',
      // log-options' spelling replaces the container's.
      'retry_limit 5 → 3',
      'header X-Team: payments → X-Team payments',
      'apikey (a value in clear text, not shown) removed',
      'compress gzip added',
      'provider ecs added',
      'dd_message_key log added',
      'secretOptions apikey /dd/old_key → /prod/DATADOG_API_KEY',
      'environment DD_ENV staging → prod'
    ])
    const router = changes.find(c => c.container === 'log_router')!
    expect(router.edits!.map(formatEdit)).toEqual([
      'image amazon/aws-for-fluent-bit:2.32.0 → public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.17'
    ])
    expect(editsNotice('web', web.edits!)).toMatch(/^web: changed what it already had: Host .*; TLS off → on; .*\.$/)
    expect(JSON.stringify(changes)).not.toContain(KEY)
  })

  it('has no edits for what a container did not have: a re-routed container says only its driver', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    const { changes } = patchTaskDefinition(td, patchConfig())
    for (const change of changes) {
      for (const edit of change.edits ?? [])
        expect(edit.from !== undefined || edit.what.startsWith('secrets')).toBe(true)
    }
  })

  it('finds nothing to say on a second run, whatever the inputs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ap1', 'us5', 'eu1'),
        fc.option(fc.constantFrom('checkout', 'web'), { nil: undefined }),
        fc.option(fc.constantFrom('prod', 'staging'), { nil: undefined }),
        (site, service, env) => {
          const config = { ...us5, site: resolveSite(site), service, env }
          const once = patchTaskDefinition(routedToUs1(), config).taskDefinition
          const twice = patchTaskDefinition(once, config)
          expect(twice.changes.flatMap(c => c.edits ?? [])).toEqual([])
        }
      )
    )
  })

  it('never shows a value that looks like a key or sits under a secret name', () => {
    const value = fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), fc.string({ maxLength: 8 }))
    fc.assert(
      fc.property(
        fc.constantFrom('apikey', 'DD_API_KEY', 'tls.key_passwd', 'X_TOKEN', 'harmless'),
        value,
        value,
        (name, from, to) => {
          const before: ContainerDefinition = { name: 'c', environment: [{ name, value: from }] }
          const after: ContainerDefinition = { name: 'c', environment: [{ name, value: to }] }
          const shown = containerEdits(before, after).map(formatEdit).join('\n')
          for (const v of [from, to]) {
            if (name !== 'harmless' || /^[0-9a-f]{32}$/.test(v)) if (v.length > 2) expect(shown).not.toContain(v)
          }
        }
      )
    )
  })
})
