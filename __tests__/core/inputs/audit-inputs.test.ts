import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { AUDIT_INPUT_DEFAULTS, readAuditConfig } from '../../../src/core/inputs/audit-inputs.js'
import { UserError } from '../../../src/core/errors.js'

const ENV = { AWS_REGION: 'eu-west-1' }
const read = (inputs: Record<string, string>, env: NodeJS.ProcessEnv = ENV) =>
  readAuditConfig(name => inputs[name] ?? '', env)

describe('the audit inputs', () => {
  it('applies the same defaults as audit/action.yml', () => {
    const action = parse(readFileSync('audit/action.yml', 'utf8')) as {
      inputs: Record<string, { default?: string }>
    }
    const defaults = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([, i]) => i.default !== undefined)
        .map(([n, i]) => [n, String(i.default)])
    )
    expect(AUDIT_INPUT_DEFAULTS).toEqual(defaults)
    expect(read({ site: 'eu1' })).toEqual({
      region: 'eu-west-1',
      clusters: 'all',
      site: { code: 'EU1', domain: 'datadoghq.eu' },
      services: [],
      verifySecret: false,
      verifyRoles: false,
      fixPlan: false,
      failOn: 'error',
      timeoutMs: 600_000
    })
  })

  it('clusters: names and ARNs, commas or new lines, duplicates once; all alone', () => {
    const arn = 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod'
    expect(read({ site: 'eu1', clusters: `prod,\n${arn}\nprod` }).clusters).toEqual(['prod', arn])
    expect(read({ site: 'eu1', clusters: 'ALL' }).clusters).toBe('all')
    expect(() => read({ site: 'eu1', clusters: 'prod, all' })).toThrow('lists `all` beside cluster names')
    expect(() => read({ site: 'eu1', clusters: 'prod cluster' })).toThrow('not an ECS cluster name or ARN')
  })

  it('services take * patterns; router-logs and timeout are durations; fail-on one of three', () => {
    const config = read({ site: 'eu1', services: 'checkout-*, web', 'router-logs': '15m', 'fail-on': 'Warning' })
    expect(config).toMatchObject({ services: ['checkout-*', 'web'], routerLogsMs: 900_000, failOn: 'warning' })
    expect(() => read({ site: 'eu1', services: 'a/b' })).toThrow(UserError)
    expect(() => read({ site: 'eu1', 'router-logs': 'soon' })).toThrow('Input `router-logs` is "soon"')
    expect(() => read({ site: 'eu1', 'fail-on': 'sometimes' })).toThrow('not one of error, warning, never')
  })

  it('needs a site and a region', () => {
    expect(() => read({})).toThrow('Input `site` is empty')
    expect(() => read({ site: 'eu1' }, {})).toThrow('No AWS region is set')
  })
})
