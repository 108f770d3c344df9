import { describe, expect, it } from '@jest/globals'
import { healthyDefinition, seededRevisions } from '../../../__fixtures__/audit-fleet.mjs'
import { NotFound, runAudit, type AuditConfig, type AuditLookups } from '../../../src/core/audit/run-audit.js'
import type { TaskDefinition } from '../../../src/core/definition/task-definition.js'
import { AwsCallError } from '../../../src/core/errors.js'
import { resolveSite } from '../../../src/core/sites.js'

const config = (overrides: Partial<AuditConfig> = {}): AuditConfig => ({
  region: 'us-east-1',
  clusters: 'all',
  site: resolveSite('ap1'),
  services: [],
  verifySecret: false,
  verifyRoles: false,
  fixPlan: false,
  failOn: 'error',
  timeoutMs: 60_000,
  ...overrides
})

const arn = (cluster: string, service: string): string =>
  `arn:aws:ecs:us-east-1:111122223333:service/${cluster}/${service}`

/** Lookups over a map cluster → service → revision ARN, recording every call. */
function lookups(
  fleet: Record<string, Record<string, string>>,
  definitions: TaskDefinition[],
  extra: Partial<AuditLookups> = {}
): AuditLookups & { calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    async listClusters() {
      calls.push('ListClusters')
      return Object.keys(fleet).map(c => `arn:aws:ecs:us-east-1:111122223333:cluster/${c}`)
    },
    async listServices(cluster) {
      calls.push(`ListServices ${cluster}`)
      const name = cluster.split('/').pop()!
      if (!fleet[name]) throw new NotFound(`ECS has no cluster "${name}".`, 'Check `clusters`.')
      return Object.keys(fleet[name]).map(s => arn(name, s))
    },
    async describeServices(cluster, services) {
      calls.push(`DescribeServices ${services.length}`)
      expect(services.length).toBeLessThanOrEqual(10)
      const name = cluster.split('/').pop()!
      return {
        services: services.map(s => {
          const service = s.split('/').pop()!
          return { name: service, arn: s, taskDefinition: fleet[name]![service]!, fromPrimary: true }
        }),
        missing: []
      }
    },
    async describeTaskDefinition(revision) {
      calls.push(`DescribeTaskDefinition ${revision}`)
      const td = definitions.find(d => d.taskDefinitionArn === revision)
      if (!td) throw new NotFound(`ECS cannot describe ${revision}.`, 'Deploy a revision that exists.')
      return td
    },
    async routerLog() {
      throw new Error('not asked')
    },
    async revisionChecks() {
      throw new Error('not asked')
    },
    ...extra
  }
}

const run = (lookups: AuditLookups, signal = new AbortController().signal) => ({
  lookups,
  signal,
  now: Date.now,
  progress: () => undefined
})

describe('runAudit: the fleet, read-only, every failure a finding', () => {
  it('describes each distinct revision once and DescribeServices at most 10 at a time', async () => {
    const healthy = healthyDefinition('web', 7) as TaskDefinition
    const other = healthyDefinition('api', 2) as TaskDefinition
    const services = Object.fromEntries(
      Array.from({ length: 23 }, (_, i) => [`s${i}`, (i % 2 ? healthy : other).taskDefinitionArn as string])
    )
    const l = lookups({ a: services, b: { x: healthy.taskDefinitionArn as string } }, [healthy, other])
    const report = await runAudit(config(), run(l))
    expect(report.totals).toEqual({ clusters: 2, services: 24, revisions: 2, errors: 0, warnings: 0 })
    expect(l.calls.filter(c => c.startsWith('DescribeTaskDefinition'))).toHaveLength(2)
    expect(l.calls.filter(c => c.startsWith('DescribeServices'))).toEqual([
      'DescribeServices 10',
      'DescribeServices 10',
      'DescribeServices 3',
      'DescribeServices 1'
    ])
    expect(report.failed).toBe(false)
    expect(report.complete).toBe(true)
  })

  it('an unknown cluster and a denied one are findings; the others are audited', async () => {
    const healthy = healthyDefinition('web', 7) as TaskDefinition
    const l = lookups({ ok: { web: healthy.taskDefinitionArn as string } }, [healthy], {
      async listServices(cluster) {
        if (cluster === 'denied')
          throw new AwsCallError('AWS denied ecs:ListServices', 'Grant ecs:ListServices.', 'ecs:ListServices')
        if (cluster !== 'ok') throw new NotFound(`ECS has no cluster "${cluster}".`, 'Check `clusters`.')
        return [arn('ok', 'web')]
      }
    })
    const report = await runAudit(config({ clusters: ['ok', 'denied', 'nope'] }), run(l))
    const byName = Object.fromEntries(report.clusters.map(c => [c.name, c]))
    expect(byName.ok!.status).toBe('ok')
    expect(byName.denied!.findings.map(f => f.kind)).toEqual(['access-denied'])
    expect(byName.nope!.findings.map(f => f.kind)).toEqual(['unknown-cluster'])
    expect(byName.denied!.status).toBe('not-audited')
    expect(report.complete).toBe(false)
    expect(report.notSeen).toEqual(['cluster denied (access-denied)', 'cluster nope (unknown-cluster)'])
    expect(report.failed).toBe(true)
  })

  it('fail-on: error fails on errors only, warning on warnings too, never never', async () => {
    const sidecar = seededRevisions().sidecar!.td as TaskDefinition // one warning
    const fleet = { c: { s: sidecar.taskDefinitionArn as string } }
    const outcome = async (failOn: AuditConfig['failOn']) =>
      (await runAudit(config({ failOn }), run(lookups(fleet, [sidecar])))).failed
    expect([await outcome('error'), await outcome('warning'), await outcome('never')]).toEqual([false, true, false])
  })

  it('the deadline: what is not seen by then is said, not dropped', async () => {
    const abort = new AbortController()
    const healthy = healthyDefinition('web', 7) as TaskDefinition
    const l = lookups({ c: { s: healthy.taskDefinitionArn as string } }, [healthy], {
      async describeTaskDefinition() {
        abort.abort()
        throw new Error('aborted')
      }
    })
    const report = await runAudit(config(), run(l, abort.signal))
    const service = report.clusters[0]!.services[0]!
    expect(service.status).toBe('not-audited')
    expect(service.findings.map(f => f.kind)).toEqual(['deadline'])
    expect(report.complete).toBe(false)
  })

  it('a bug in a look-up is not a finding: it propagates', async () => {
    const l = lookups({}, [], {
      async listClusters() {
        throw new TypeError('x is undefined')
      }
    })
    await expect(runAudit(config(), run(l))).rejects.toThrow(TypeError)
  })

  it('router logs: a 403 in the router stream of a service is its finding, on the router container', async () => {
    const healthy = healthyDefinition('web', 7) as TaskDefinition
    const l = lookups({ c: { s: healthy.taskDefinitionArn as string } }, [healthy], {
      async routerLog() {
        return {
          kind: 'lines',
          streams: 1,
          lines: ['[error] [output:datadog:datadog.0] https://http-intake.logs.datadoghq.com:443 HTTP status=403']
        }
      }
    })
    const report = await runAudit(config({ routerLogsMs: 900_000 }), run(l))
    const service = report.clusters[0]!.services[0]!
    expect(service.findings).toEqual([expect.objectContaining({ kind: 'wrong-intake', container: 'log-router' })])
    expect(service.routerLog).toEqual({ read: true, streams: 1, lines: 1 })
  })
})
