import { describe, expect, it } from '@jest/globals'
import { patchConfig } from '../__fixtures__/patch-config.js'
import { renderLog, renderSummary, type RunReport } from '../src/summary.js'

const report = (overrides: Partial<RunReport> = {}): RunReport => ({
  family: 'web',
  config: patchConfig(),
  changes: [
    { container: 'web', action: 're-routed', detail: 'was awslogs; that log configuration was replaced' },
    {
      container: 'log-router',
      action: 'router added',
      detail: 'image public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.8'
    }
  ],
  warnings: [],
  outputPath: '/tmp/rt/web.json',
  ...overrides
})

describe('the job summary', () => {
  it('shows the site and intake host, the secret, each container and the dry run', () => {
    const md = renderSummary(report())
    expect(md).toContain('| Site | AP1 → `http-intake.logs.ap1.datadoghq.com` |')
    expect(md).toContain('| API key | SSM parameter `/prod/DATADOG_API_KEY` |')
    expect(md).toContain('| Task definition | dry run: not registered |')
    expect(md.indexOf('| `web` | re-routed |')).toBeLessThan(md.indexOf('| `log-router` | router added |'))
    expect(md).not.toContain('Warnings')
  })

  it('shows the registered ARN, a Secrets Manager secret by ARN, and the warnings', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:dd-AbCdEf'
    const md = renderSummary(
      report({
        arn: 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:4',
        config: patchConfig({
          apiKeySecret: { kind: 'secretsmanager', value: arn, secretId: arn, region: 'us-east-1' }
        }),
        warnings: ['first', 'second']
      })
    )
    expect(md).toContain('registered `arn:aws:ecs:us-east-1:111122223333:task-definition/web:4`')
    expect(md).toContain(`Secrets Manager secret \`${arn}\``)
    expect(md).toContain('**Warnings**\n\n- first\n- second')
  })

  it('keeps the table intact when a detail has a pipe or a newline', () => {
    const md = renderSummary(report({ changes: [{ container: 'a|b', action: 'routed', detail: 'x | y\nz' }] }))
    expect(md).toContain('| `a\\|b` | routed | x \\| y z |')
  })

  it('prints the same facts as plain log lines', () => {
    const lines = renderLog(report())
    expect(lines).toContain('Site: AP1 → http-intake.logs.ap1.datadoghq.com')
    expect(lines).toContain('Task definition: dry run: not registered')
    expect(lines).toContain('Patched file: /tmp/rt/web.json')
    expect(lines.some(l => /^ {2}web +re-routed: was awslogs/.test(l))).toBe(true)
  })
})
