// The audit action end to end: dist/audit/index.js run as a runner runs `uses: <repo>/audit@v1`, against the loopback
// fake speaking ECS (ListClusters, ListServices and DescribeServices paged as ECS pages them, throttling, access
// denied per cluster) and CloudWatch Logs. Every call the bundle makes is recorded and checked against README's IAM
// policy: the audit never writes.
import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from '../../__fixtures__/action-env.mjs'
import { ROLES_OK } from '../../__fixtures__/roles.mjs'
import {
  API_KEY_PARAMETER,
  GONE_ARN,
  healthyDefinition,
  healthyFleet,
  routerGroup,
  seededFleet,
  seededRevisions
} from '../../__fixtures__/audit-fleet.mjs'
import { IAM_ACTION, startFakeAws, type FakeAws, type FakeAwsOptions } from '../../__fixtures__/fake-aws.mjs'
import type { AuditReport, ServiceReport } from '../../src/core/audit/run-audit.js'
import { runAudit } from './run-audit.js'

let fake: FakeAws | undefined
const start = async (opts: FakeAwsOptions): Promise<FakeAws> => {
  fake = await startFakeAws(opts)
  return fake
}
/** Every IAM action any run of this file called. */
const called = new Set<string>()
afterEach(async () => {
  for (const call of fake?.calls ?? []) called.add(IAM_ACTION[call.target] ?? call.target)
  await fake?.close()
  fake = undefined
})

const services = (report: AuditReport | undefined): Record<string, ServiceReport> =>
  Object.fromEntries((report?.clusters ?? []).flatMap(c => c.services.map(s => [`${c.name}/${s.name}`, s])))
const count = (f: FakeAws, target: string): number => f.calls.filter(c => c.target === target).length

describe('a seeded fleet: each kind of finding, on the right service', () => {
  it('reports every kind, an unknown and a denied cluster as findings, the rest audited; exit 1 (fail-on error)', async () => {
    const f = await start(
      seededFleet({
        clusters: { staging: { services: { web: { taskDefinition: GONE_ARN } } } },
        deniedClusters: ['staging']
      })
    )
    const result = await runAudit({ site: 'ap1', clusters: 'prod, staging, nope' }, { fake: f })
    expect(result.code).toBe(1)
    const report = result.report!
    const byService = services(report)
    for (const [name, { kinds }] of Object.entries(seededRevisions())) {
      expect([name, new Set(byService[`prod/${name}`]!.findings.map(x => x.kind))]).toEqual([name, new Set(kinds)])
    }
    expect(byService['prod/healthy']!.status).toBe('ok')
    expect(byService['prod/gone']!).toMatchObject({
      status: 'not-audited',
      findings: [{ kind: 'revision-not-described' }]
    })
    const clusters = Object.fromEntries(report.clusters.map(c => [c.name, c]))
    expect(clusters.staging!.findings.map(x => x.kind)).toEqual(['access-denied'])
    expect(clusters.nope!.findings.map(x => x.kind)).toEqual(['unknown-cluster'])
    expect(report.complete).toBe(false)
    expect(report.notSeen).toEqual(
      expect.arrayContaining(['cluster staging (access-denied)', 'cluster nope (unknown-cluster)'])
    )
    // Each finding carries what the schema promises.
    for (const finding of Object.values(byService).flatMap(s => s.findings)) {
      expect(finding).toEqual(
        expect.objectContaining({
          severity: expect.stringMatching(/^(error|warning)$/),
          kind: expect.any(String),
          message: expect.any(String),
          fix: expect.any(String)
        })
      )
    }
    expect(result.outputs).toMatchObject({ result: 'failed', services: '9' })
    // The summary: a table per cluster, the partial audit said.
    expect(result.summary).toContain('#### Cluster `prod`')
    expect(result.summary).toContain('| Service | Revision | Status | Findings |')
    expect(result.summary).toContain('| `legacy` | `legacy:12` | ❌ error |')
    expect(result.summary).toContain('**Partial audit: not seen**')
    // The clear-text key of legacy:12 is printed nowhere.
    expect(result.stdout + result.summary + JSON.stringify(report)).not.toContain('f00dfeedf00dfeed')
  })

  it('fix-plan: per revision what the main action would change; fail-on never exits 0 with the same findings', async () => {
    const f = await start(seededFleet())
    const result = await runAudit(
      { site: 'ap1', clusters: 'prod', 'fix-plan': 'true', 'fail-on': 'never' },
      { fake: f }
    )
    expect(result.code).toBe(0)
    expect(result.outputs.result).toBe('passed')
    const plans = Object.fromEntries(result.report!.fixPlans!.map(p => [p.revision, p.plan]))
    expect(plans['healthy:7']).toMatchObject({ kind: 'plan', changes: [] })
    expect(plans['eu-api:3']).toMatchObject({
      changes: [{ container: 'app', detail: expect.stringContaining('Host changed') }]
    })
    expect(result.summary).toContain('**Fix plan: what the main action would change in each revision**')
    expect(Number(result.outputs.errors)).toBeGreaterThan(0)
  })

  it('router-logs: reads the router streams of the running tasks and reports what the router printed', async () => {
    const now = Date.now()
    const td = healthyDefinition('checkout', 4)
    const task = {
      id: 'aaaa1111',
      taskDefinitionArn: td.taskDefinitionArn,
      service: 'checkout',
      startedAt: now - 60_000
    }
    const f = await start({
      clusters: { prod: { services: { checkout: { taskDefinition: td.taskDefinitionArn } }, tasks: [task] } },
      taskDefinitions: [td],
      logGroups: {
        [routerGroup('checkout')]: {
          'firelens/log-router/aaaa1111': [
            {
              timestamp: now - 5_000,
              message:
                '[error] [output:datadog:datadog.0] https://http-intake.logs.ap1.datadoghq.com:443 HTTP status=403'
            }
          ]
        }
      }
    })
    const result = await runAudit({ site: 'ap1', 'router-logs': '15m' }, { fake: f })
    expect(result.code).toBe(1)
    const service = services(result.report)['prod/checkout']!
    expect(service.findings).toEqual([
      expect.objectContaining({
        kind: 'http-403',
        container: 'log-router',
        quote: expect.stringContaining('HTTP status=403')
      })
    ])
    expect(service.routerLog).toEqual({ read: true, streams: 1, lines: 1 })
    expect(count(f, 'ECS.ListTasks')).toBe(1)
    expect(count(f, 'Logs.FilterLogEvents')).toBe(1)
  })
})

describe('a healthy fleet', () => {
  it('passes: every service ok, exit 0, one table per cluster', async () => {
    const f = await start(healthyFleet({ clusters: 2, perCluster: 4, revisions: 3 }))
    const result = await runAudit({ site: 'AP1' }, { fake: f })
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ result: 'passed', errors: '0', warnings: '0', services: '8' })
    expect(Object.values(services(result.report)).map(s => s.status)).toEqual(Array(8).fill('ok'))
    expect(result.report!.complete).toBe(true)
    expect(result.summary).toContain('#### Cluster `cluster-0`: ✅ ok')
    expect(result.summary).toContain('#### Cluster `cluster-1`: ✅ ok')
    expect(count(f, 'ECS.DescribeTaskDefinition')).toBe(3)
  })
})

describe('pagination and throttling', () => {
  it('reads every page of ListClusters and ListServices, DescribeServices 10 at a time, each revision once', async () => {
    const f = await start(healthyFleet({ clusters: 3, perCluster: 23, revisions: 5, ecsPageLimit: 2 }))
    const result = await runAudit({ site: 'ap1' }, { fake: f })
    expect(result.code).toBe(0)
    expect(result.report!.totals).toMatchObject({ clusters: 3, services: 69, revisions: 5 })
    expect(count(f, 'ECS.ListClusters')).toBe(2) // 3 clusters, 2 a page
    expect(count(f, 'ECS.ListServices')).toBe(3 * 12) // 23 services, 2 a page
    expect(count(f, 'ECS.DescribeServices')).toBe(3 * 3) // 10 + 10 + 3
    expect(count(f, 'ECS.DescribeTaskDefinition')).toBe(5)
    for (const call of f.calls.filter(c => c.target === 'ECS.DescribeServices')) {
      expect(call.body.services.length).toBeLessThanOrEqual(10)
    }
    for (const call of f.calls.filter(c => /List(Clusters|Services)$/.test(c.target)))
      expect(call.body.maxResults).toBe(100)
  })

  it('throttled calls are retried with backoff until answered: nothing is lost', async () => {
    const f = await start(
      healthyFleet({
        clusters: 2,
        perCluster: 12,
        revisions: 12,
        throttle: {
          'ECS.DescribeTaskDefinition': { perSecond: 4, burst: 3 },
          'ECS.DescribeServices': { perSecond: 2, burst: 1 }
        }
      })
    )
    const result = await runAudit({ site: 'ap1' }, { fake: f })
    expect(f.throttled.length).toBeGreaterThan(0)
    expect(result.code).toBe(0)
    expect(result.report!.totals).toMatchObject({ services: 24, revisions: 12, errors: 0 })
    expect(result.report!.complete).toBe(true)
  })

  it('a cluster denied to the role: reported, and every other cluster audited', async () => {
    const f = await start(healthyFleet({ clusters: 3, perCluster: 2, revisions: 1, deniedClusters: ['cluster-1'] }))
    const result = await runAudit({ site: 'ap1' }, { fake: f })
    expect(result.code).toBe(1)
    const clusters = Object.fromEntries(result.report!.clusters.map(c => [c.name, c]))
    expect(clusters['cluster-1']).toMatchObject({ status: 'not-audited', findings: [{ kind: 'access-denied' }] })
    expect(clusters['cluster-1']!.findings[0]!.message).toContain('ecs:ListServices')
    expect(clusters['cluster-0']!.status).toBe('ok')
    expect(clusters['cluster-2']!.status).toBe('ok')
    expect(result.report!.notSeen).toEqual(['cluster cluster-1 (access-denied)'])
  })
})

describe('verify-secret and verify-roles on each distinct revision', () => {
  it('a revision whose execution role does not exist and one whose key is missing: each an error, once per revision', async () => {
    const missingKey = healthyDefinition('nokey', 2)
    missingKey.containerDefinitions[0].logConfiguration.secretOptions = [
      { name: 'apikey', valueFrom: '/prod/NO_SUCH_KEY' }
    ]
    const noRole = healthyDefinition('norole', 3)
    noRole.executionRoleArn = 'arn:aws:iam::111122223333:role/gone-role'
    const ok = healthyDefinition('fine', 1)
    const f = await start({
      parameters: { [API_KEY_PARAMETER]: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' },
      roles: ROLES_OK,
      clusters: {
        prod: {
          services: {
            a: { taskDefinition: ok.taskDefinitionArn },
            b: { taskDefinition: missingKey.taskDefinitionArn },
            c: { taskDefinition: noRole.taskDefinitionArn },
            d: { taskDefinition: ok.taskDefinitionArn }
          }
        }
      },
      taskDefinitions: [ok, missingKey, noRole]
    })
    const result = await runAudit({ site: 'ap1', 'verify-secret': 'true', 'verify-roles': 'true' }, { fake: f })
    const byService = services(result.report)
    expect(byService['prod/a']!.status).toBe('ok')
    expect(byService['prod/d']!.status).toBe('ok')
    expect(byService['prod/b']!.findings.map(x => x.kind)).toContain('secret-missing')
    expect(byService['prod/c']!.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'role-check', severity: 'error' })])
    )
    expect(result.code).toBe(1)
    // Metadata only: no call reads a secret's value.
    expect(f.calls.map(c => c.target)).not.toContain('SSM.GetParameter')
    expect(f.calls.map(c => c.target)).toContain('IAM.SimulatePrincipalPolicy')
  })
})

describe('bad input', () => {
  it('an unknown fail-on is refused before any AWS call', async () => {
    const f = await start({})
    const result = await runAudit({ site: 'ap1', 'fail-on': 'sometimes' }, { fake: f })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('Input `fail-on` is "sometimes"')
    expect(f.calls).toEqual([])
  })
})

afterAll(() => {
  // Read-only: every action any run above called is in README's audit policy, and each is a read.
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')
  const policy = /<!-- audit-policy:start -->\s*```json\n([\s\S]*?)```/.exec(readme)?.[1]
  expect(policy).toBeDefined()
  const allowed = new Set(
    (JSON.parse(policy!) as { Statement: { Action: string | string[] }[] }).Statement.flatMap(s =>
      Array.isArray(s.Action) ? s.Action : [s.Action]
    )
  )
  for (const action of allowed) expect(action).toMatch(/^[a-z0-9]+:(List|Describe|Get|Filter|Simulate)[A-Za-z]+$/)
  expect(called.size).toBeGreaterThan(0)
  expect([...called].filter(action => !allowed.has(action))).toEqual([])
})
