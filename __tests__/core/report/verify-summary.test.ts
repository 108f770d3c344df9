import { describe, expect, it } from '@jest/globals'
import { resolveSite } from '../../../src/core/sites.js'
import type { RevisionFacts } from '../../../src/core/verify/revision-facts.js'
import { renderVerifySummary } from '../../../src/core/report/verify-summary.js'
import type { WatchReport } from '../../../src/core/verify/watch.js'

const revision: RevisionFacts = {
  arn: 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:7',
  family: 'web',
  revision: 7,
  router: { container: 'log-router', log: { kind: 'cloudwatch', group: '/ecs/router', region: 'us-east-1' } },
  taggedWithTask: true,
  intakeHosts: ['http-intake.logs.ap1.datadoghq.com']
}
const task = {
  arn: 'arn:aws:ecs:us-east-1:111122223333:task/prod/abc',
  id: 'abc',
  taskDefinitionArn: revision.arn,
  lastStatus: 'RUNNING',
  desiredStatus: 'RUNNING',
  containers: []
}
const report = (over: Partial<WatchReport>): WatchReport => ({
  outcome: { result: 'no-errors-seen' },
  task,
  tasksSeen: 2,
  running: 2,
  router: { state: 'read', group: '/ecs/router', streams: ['firelens/log-router/abc'], lines: 12, missing: [] },
  searches: 0,
  throttled: 0,
  warnings: [],
  elapsedMs: 65_000,
  ...over
})
const render = (r: WatchReport, search = false) =>
  renderVerifySummary({
    report: r,
    revision,
    site: resolveSite('ap1'),
    where: 'prod/checkout',
    search,
    logsUrl: 'https://ap1.datadoghq.com/logs?query=x'
  })

describe('the verify job summary', () => {
  it('shows what was checked and the result in one table, with the link', () => {
    expect(render(report({}))).toBe(
      [
        '### Datadog FireLens verify: `no-errors-seen`',
        '',
        '| Check | What | Result |',
        '| --- | --- | --- |',
        '| Tasks | `web:7` in prod/checkout: 2 seen, 2 running | ✅ abc |',
        '| Router log | `/ecs/router`: 1 stream, 12 lines | ✅ no delivery error |',
        '| Datadog search | skipped: no `application-key-secret` | — |',
        '',
        'Checked for 1m5s. [Open these logs in Datadog](https://ap1.datadoghq.com/logs?query=x)',
        ''
      ].join('\n')
    )
  })

  it('shows the search and its record when delivered', () => {
    const text = render(
      report({ outcome: { result: 'delivered', record: { timestamp: '2026-11-25T10:01:02Z' } }, searches: 3 }),
      true
    )
    expect(text).toContain('### Datadog FireLens verify: `delivered`')
    expect(text).toContain(
      '| Datadog search | `task_family:web task_version:7` on AP1, 3 searches | ✅ found (2026-11-25T10:01:02Z) |'
    )
  })

  it('lists the findings and warnings of a failure, pipes escaped', () => {
    const text = render(
      report({
        outcome: {
          result: 'failed',
          why: 'router-errors',
          findings: [
            { severity: 'error', kind: 'http-403', message: 'HTTP 403 | refused', fix: 'Set site.', quote: '[error] x' }
          ]
        },
        warnings: [{ severity: 'warning', kind: 'tls-off', message: 'TLS is off.', fix: 'Turn it on.' }]
      })
    )
    expect(text).toContain('### Datadog FireLens verify: failed')
    expect(text).toContain('| Router log | `/ecs/router`: 1 stream, 12 lines | ❌ delivery errors |')
    expect(text).toContain('- HTTP 403 | refused<br>  [error] x<br>Set site.')
    expect(text).toContain('**Warnings**\n\n- TLS is off.')
  })

  it('says the router log was not checked when it is not in CloudWatch', () => {
    expect(render(report({ router: { state: 'not-in-cloudwatch', driver: 'none' } }))).toContain(
      '| Router log | not in CloudWatch (log driver none) | ⚠️ not checked |'
    )
  })
})
