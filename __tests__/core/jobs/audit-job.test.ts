import { describe, expect, it } from '@jest/globals'
import { healthyDefinition } from '../../../__fixtures__/audit-fleet.mjs'
import { recordingReporter } from '../../../__fixtures__/recording-reporter.js'
import type { AuditLookups, AuditReport } from '../../../src/core/audit/run-audit.js'
import type { TaskDefinition } from '../../../src/core/definition/task-definition.js'
import { runAuditJob } from '../../../src/core/jobs/audit-job.js'

const healthy = healthyDefinition('web', 7) as unknown as TaskDefinition
const lookups = (td: TaskDefinition): AuditLookups => ({
  listClusters: async () => ['arn:aws:ecs:us-east-1:111122223333:cluster/prod'],
  listServices: async () => ['arn:aws:ecs:us-east-1:111122223333:service/prod/web'],
  describeServices: async (_cluster, services) => ({
    services: services.map(arn => ({
      name: 'web',
      arn,
      taskDefinition: healthy.taskDefinitionArn as string,
      fromPrimary: true
    })),
    missing: []
  }),
  describeTaskDefinition: async () => td,
  routerLog: async () => ({ kind: 'no-tasks' }),
  revisionChecks: async () => []
})
const inputs = (values: Record<string, string>) => ({
  input: (name: string) => values[name] ?? '',
  env: { AWS_REGION: 'us-east-1' }
})

describe('the audit job', () => {
  it('a healthy fleet: outputs, the report, a notice, exit 0', async () => {
    const reporter = recordingReporter<AuditReport>()
    const code = await runAuditJob(
      inputs({ site: 'ap1' }),
      { lookups: () => lookups(healthy), now: Date.now },
      reporter
    )
    expect(code).toBe(0)
    expect(reporter.outputs).toEqual({ result: 'passed', errors: '0', warnings: '0', services: '1' })
    expect(reporter.reports).toHaveLength(1)
    expect(reporter.at('info')).toContain('ok: prod/web (web:7)')
    expect(reporter.at('notice')).toEqual([
      expect.stringMatching(/^1 service in 1 cluster \(1 distinct revision\): 0 errors/)
    ])
  })

  it('findings per fail-on: an error fails the job; with fail-on never it only warns', async () => {
    const eu = healthyDefinition('web', 7, {
      options: { Host: 'http-intake.logs.datadoghq.eu' }
    }) as unknown as TaskDefinition
    const failing = recordingReporter<AuditReport>()
    expect(await runAuditJob(inputs({ site: 'ap1' }), { lookups: () => lookups(eu), now: Date.now }, failing)).toBe(1)
    expect(failing.at('error')).toEqual([expect.stringContaining('(fail-on: error)')])
    expect(failing.at('info').some(l => l.startsWith('error: prod/web (web:7) wrong-intake: '))).toBe(true)
    const never = recordingReporter<AuditReport>()
    expect(
      await runAuditJob(
        inputs({ site: 'ap1', 'fail-on': 'never' }),
        { lookups: () => lookups(eu), now: Date.now },
        never
      )
    ).toBe(0)
    expect(never.outputs.result).toBe('passed')
    expect(never.at('warning')).toHaveLength(1)
  })

  it('bad input: exit 1 with the error, no look-up made, no report', async () => {
    const reporter = recordingReporter<AuditReport>()
    let made = false
    const code = await runAuditJob(
      inputs({ site: 'nowhere' }),
      {
        lookups: () => {
          made = true
          return lookups(healthy)
        },
        now: Date.now
      },
      reporter
    )
    expect(code).toBe(1)
    expect(reporter.at('error')[0]).toContain('Input `site` is "nowhere"')
    expect(made).toBe(false)
    expect(reporter.reports).toEqual([])
  })
})
