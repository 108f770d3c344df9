import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  failedDeploymentFinding,
  revisionOf,
  type DeploymentFacts,
  type ServiceDeploymentState
} from '../../../src/core/diagnose/deployment.js'

const T0 = Date.parse('2026-11-25T10:00:00Z')
const td = (revision: number) => `arn:aws:ecs:us-east-1:111122223333:task-definition/web:${revision}`
const REASON = 'ECS deployment circuit breaker: tasks failed to start.'
const primary = (revision: number, over: Partial<DeploymentFacts> = {}): DeploymentFacts => ({
  id: 'ecs-svc/222',
  status: 'PRIMARY',
  taskDefinition: td(revision),
  rolloutState: 'IN_PROGRESS',
  createdAt: T0,
  ...over
})
const failed = (revision: number, over: Partial<DeploymentFacts> = {}): DeploymentFacts => ({
  id: 'ecs-svc/111',
  status: 'ACTIVE',
  taskDefinition: td(revision),
  rolloutState: 'FAILED',
  rolloutStateReason: REASON,
  createdAt: T0 - 600_000,
  ...over
})
const service = (deployments: DeploymentFacts[], events: ServiceDeploymentState['events'] = []) => ({
  name: 'checkout',
  deployments,
  events
})

describe('failedDeploymentFinding: a failed latest deployment is never verified as the rolled-back-to revision', () => {
  it('a FAILED deployment beside the rollback: names the failed revision, the rollback and ECS reason', () => {
    const finding = failedDeploymentFinding(service([primary(6), failed(7)]), 'prod')
    expect(finding).toMatchObject({
      severity: 'error',
      kind: 'deployment-failed',
      message: `The latest deployment of checkout failed: web:7 (deployment ecs-svc/111) is FAILED: "${REASON}". ECS rolled the service back to web:6, so the tasks running are the old revision's, not this deploy's.`,
      quote: REASON
    })
    expect(finding?.fix).toContain(`task-definition-arn: ${td(7)}`)
    expect(finding?.fix).toContain(
      "aws ecs describe-services --cluster prod --services checkout --query 'services[0].events[:10]'"
    )
  })

  it('the primary itself FAILED (circuit breaker without rollback): still a failure, saying there was no rollback', () => {
    const finding = failedDeploymentFinding(
      service([primary(7, { rolloutState: 'FAILED', rolloutStateReason: REASON })]),
      'prod'
    )
    expect(finding?.message).toContain('web:7 (deployment ecs-svc/222) is FAILED')
    expect(finding?.message).toContain('ECS did not roll it back')
  })

  it('nothing failed: no finding', () => {
    expect(failedDeploymentFinding(service([primary(7, { rolloutState: 'COMPLETED' })]), 'prod')).toBeUndefined()
    expect(
      failedDeploymentFinding(
        service([primary(7), { ...primary(6), status: 'ACTIVE', rolloutState: 'COMPLETED' }]),
        'prod'
      )
    ).toBeUndefined()
  })

  it('with a target revision: only a failure of that revision', () => {
    const state = service([primary(6), failed(7)])
    expect(failedDeploymentFinding(state, 'prod', td(7))?.kind).toBe('deployment-failed')
    expect(failedDeploymentFinding(state, 'prod', td(6))).toBeUndefined()
  })

  it('after the rollback completed: the events since the primary began tell, without the revision', () => {
    const state = service(
      [primary(6, { rolloutState: 'COMPLETED' })],
      [
        { createdAt: T0 + 5_000, message: '(service checkout) has reached a steady state.' },
        { createdAt: T0, message: '(service checkout) rolling back to deployment ecs-svc/000.' },
        {
          createdAt: T0 - 5_000,
          message: '(service checkout) (deployment ecs-svc/111) deployment failed: tasks failed to start.'
        }
      ]
    )
    const finding = failedDeploymentFinding(state, 'prod')
    expect(finding?.kind).toBe('deployment-rolled-back')
    expect(finding?.message).toBe(
      'The latest deployment of checkout (ecs-svc/111) failed (ECS: "tasks failed to start") and ECS rolled the service back to web:6: the tasks running are that revision\'s, not this deploy\'s. The failed deployment is no longer listed, so DescribeServices does not name its revision.'
    )
    expect(finding?.fix).toContain('aws ecs list-service-deployments --cluster prod --service checkout')
  })

  it('events of an older rollback (before the current primary) are history, not this deploy', () => {
    const state = service(
      [primary(8, { rolloutState: 'COMPLETED' })],
      [{ createdAt: T0 - 3_600_000, message: '(service checkout) rolling back to deployment ecs-svc/000.' }]
    )
    expect(failedDeploymentFinding(state, 'prod')).toBeUndefined()
  })

  it('property: whenever a listed deployment is FAILED and no target is given, the answer is a failure naming its revision', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        fc.boolean(),
        (bad, good, rolled) => {
          const deployments = rolled ? [primary(good), failed(bad)] : [primary(bad, { rolloutState: 'FAILED' })]
          const finding = failedDeploymentFinding(service(deployments), 'prod')
          expect(finding?.severity).toBe('error')
          expect(finding?.message).toContain(`web:${bad}`)
        }
      )
    )
  })

  it('revisionOf shortens a task definition ARN to family:revision', () => {
    expect(revisionOf(td(7))).toBe('web:7')
    expect(revisionOf('web:7')).toBe('web:7')
  })
})
