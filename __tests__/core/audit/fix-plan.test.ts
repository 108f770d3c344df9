import { describe, expect, it } from '@jest/globals'
import { healthyDefinition, seededRevisions } from '../../../__fixtures__/audit-fleet.mjs'
import { SECRET_PLACEHOLDER, fixPlan } from '../../../src/core/audit/fix-plan.js'
import type { TaskDefinition } from '../../../src/core/definition/task-definition.js'
import { resolveSite } from '../../../src/core/sites.js'

const AP1 = resolveSite('ap1')

describe('fixPlan: what the main action would change in a registered revision', () => {
  it('nothing for a revision the action wrote', () => {
    expect(fixPlan(healthyDefinition('web', 7) as TaskDefinition, AP1, 'us-east-1')).toEqual({
      kind: 'plan',
      apiKeySecret: '/prod/DATADOG_API_KEY',
      changes: [],
      warnings: []
    })
  })

  it('names the options it changes, never their values (a clear-text key is one of them)', () => {
    const plan = fixPlan(seededRevisions().legacy!.td as TaskDefinition, AP1, 'us-east-1')
    expect(plan.kind).toBe('plan')
    if (plan.kind !== 'plan') return
    expect(plan.apiKeySecret).toBe(SECRET_PLACEHOLDER)
    expect(plan.changes).toEqual([
      {
        container: 'app',
        action: 'updated',
        detail: 'Datadog output options updated: TLS, retry_limit added; apikey removed; secretOptions apikey set'
      }
    ])
    expect(JSON.stringify(plan)).not.toContain('f00dfeed')
  })

  it('the wrong site: Host changed', () => {
    const plan = fixPlan(seededRevisions()['eu-api']!.td as TaskDefinition, AP1, 'us-east-1')
    expect(plan.kind === 'plan' && plan.changes[0]!.detail).toBe('Datadog output options updated: Host changed')
  })

  it('adds the router where there is none; the definition itself is not modified', () => {
    const td = seededRevisions().plain!.td as TaskDefinition
    const before = JSON.stringify(td)
    const plan = fixPlan(td, AP1, 'us-east-1')
    expect(plan.kind === 'plan' && plan.changes.map(c => c.action)).toEqual(['re-routed', 'router added'])
    expect(JSON.stringify(td)).toBe(before)
  })
})
