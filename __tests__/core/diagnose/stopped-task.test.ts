import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { isFailedStop, stoppedTaskFindings } from '../../../src/core/diagnose/stopped-task.js'
import type { TaskFacts } from '../../../src/core/checks/task-facts.js'

const EXECUTION_ROLE = 'arn:aws:iam::111122223333:role/ecsTaskExecutionRole'
const context = { executionRoleArn: EXECUTION_ROLE, routerContainer: 'log-router' }

function stopped(stoppedReason: string, extra: Partial<TaskFacts> = {}): TaskFacts {
  return {
    arn: 'arn:aws:ecs:us-east-1:111122223333:task/prod/0a1b2c3d4e5f',
    id: '0a1b2c3d4e5f',
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:7',
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    stopCode: 'TaskFailedToStart',
    stoppedReason,
    containers: [{ name: 'web' }, { name: 'log-router' }],
    ...extra
  }
}

// stoppedReason texts as ECS writes them (seen in public issue threads about these failures).
const SSM_DENIED =
  'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/ecsTaskExecutionRole/f83b93a4dc3442a1 is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:eu-west-2:111122223333:parameter/prod/DATADOG_API_KEY because no identity-based policy allows the ssm:GetParameters action status code: 400, request id: 1adcb55f-f798-4503-b8a3-cd1533290001'
const ASM_DENIED =
  'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:eu-west-1:111122223333:secret:datadog-AbCdEf from secrets manager: AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/other-exec-role/abc is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-west-1:111122223333:secret:datadog-AbCdEf because no identity-based policy allows the secretsmanager:GetSecretValue action status code: 400'
const KMS =
  'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:eu-central-1:111122223333:secret:dd-EaPYTy from secrets manager: AccessDeniedException: Access to KMS is not allowed status code: 400, request id: a87a66d9'
const MISSING_PARAMETER =
  'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid ssm parameters: /prod/DATADOG_API_KEY'
const NETWORK =
  'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret arn:aws:secretsmanager:us-west-2:111122223333:secret:db-AbCdEf from secrets manager: RequestCanceled: request context canceled caused by: context deadline exceeded. Please check your task network configuration.'
const IMAGE_NOT_FOUND =
  'CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref public.ecr.aws/aws-observability/aws-for-fluent-bit:9.9.9: public.ecr.aws/aws-observability/aws-for-fluent-bit:9.9.9: not found'
const IMAGE_DENIED =
  'CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref 111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1.2.3: pulling from host 111122223333.dkr.ecr.us-east-1.amazonaws.com failed with status code [manifests 1.2.3]: 403 Forbidden'
const LOG_GROUP =
  'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1'

describe('why a task stopped, with the fix', () => {
  it('names the execution role and the permission it lacks when SSM secrets cannot be pulled', () => {
    const [finding] = stoppedTaskFindings(stopped(SSM_DENIED), context)
    expect(finding).toMatchObject({
      severity: 'error',
      kind: 'secrets-access-denied',
      quote: expect.stringContaining('unable to pull secrets')
    })
    expect(finding!.message).toContain(`its execution role ${EXECUTION_ROLE} may not call ssm:GetParameters`)
    expect(finding!.fix).toBe(
      `Grant ssm:GetParameters on arn:aws:ssm:eu-west-2:111122223333:parameter/prod/DATADOG_API_KEY to the task execution role ${EXECUTION_ROLE} (and kms:Decrypt on the KMS key, if the secret uses a customer-managed key). ECS reads secrets with the execution role when a task starts, not with the workflow's role.`
    )
  })

  it("uses the role name from ECS's message when it is not the definition's execution role", () => {
    const [finding] = stoppedTaskFindings(stopped(ASM_DENIED), context)
    expect(finding!.fix).toMatch(
      /^Grant secretsmanager:GetSecretValue on arn:aws:secretsmanager:.*:secret:datadog-AbCdEf to the task execution role other-exec-role/
    )
  })

  it('reads the reason whatever its case (ECS has written "Resourceinitializationerror")', () => {
    const [finding] = stoppedTaskFindings(
      stopped(
        SSM_DENIED.replace('ResourceInitializationError', 'Resourceinitializationerror').replace(
          'unable to pull',
          'Unable to pull'
        )
      ),
      context
    )
    expect(finding!.kind).toBe('secrets-access-denied')
  })

  it.each([
    [
      KMS,
      'secrets-kms-denied',
      /kms:Decrypt on the secret's customer-managed KMS key to arn:aws:iam::111122223333:role\/ecsTaskExecutionRole/
    ],
    [MISSING_PARAMETER, 'secret-missing', /another region needs its full ARN/],
    [NETWORK, 'task-network', /NAT gateway.*VPC endpoints/],
    [IMAGE_NOT_FOUND, 'image-not-found', /log-router-image/],
    [IMAGE_DENIED, 'image-access-denied', /ecr:BatchGetImage/],
    [LOG_GROUP, 'awslogs-failed', /create-log-group|awslogs-create-group/]
  ])('maps %s', (reason, kind, fix) => {
    const [finding] = stoppedTaskFindings(stopped(reason), context)
    expect(finding!.kind).toBe(kind)
    expect(finding!.fix).toMatch(fix)
    expect(finding!.quote).toBeDefined()
  })

  it('names the missing parameter and the image', () => {
    expect(stoppedTaskFindings(stopped(MISSING_PARAMETER), context)[0]!.message).toContain('/prod/DATADOG_API_KEY')
    expect(stoppedTaskFindings(stopped(IMAGE_NOT_FOUND), context)[0]!.message).toContain(
      'public.ecr.aws/aws-observability/aws-for-fluent-bit:9.9.9'
    )
  })

  it('reads an image pull error from the container reason too', () => {
    const task = stopped('Task failed to start', {
      containers: [{ name: 'log-router', reason: IMAGE_NOT_FOUND }, { name: 'web' }]
    })
    expect(stoppedTaskFindings(task, context).map(f => f.kind)).toEqual(['image-not-found'])
  })

  it('says the router exited, not the app that ECS stopped after it', () => {
    const task = stopped('Essential container in task exited', {
      stopCode: 'EssentialContainerExited',
      containers: [
        { name: 'web', exitCode: 137 },
        { name: 'log-router', exitCode: 255 }
      ]
    })
    const findings = stoppedTaskFindings(task, context)
    expect(findings.map(f => f.kind)).toEqual(['router-exited'])
    expect(findings[0]!.message).toContain('The log router (log-router) exited with code 255')
  })

  it('says the application exited when it is the app', () => {
    const task = stopped('Essential container in task exited', {
      stopCode: 'EssentialContainerExited',
      containers: [
        { name: 'web', exitCode: 1 },
        { name: 'log-router', exitCode: 143 }
      ]
    })
    const findings = stoppedTaskFindings(task, context)
    expect(findings.map(f => f.kind)).toEqual(['container-exited'])
    expect(findings[0]!.message).toContain('Container web exited with code 1')
  })

  it("tells the router's memory from the app's", () => {
    const oom = (name: string) =>
      stopped('Essential container in task exited', {
        stopCode: 'EssentialContainerExited',
        containers: [{ name, exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }]
      })
    expect(stoppedTaskFindings(oom('log-router'), context)[0]!.kind).toBe('router-out-of-memory')
    expect(stoppedTaskFindings(oom('log-router'), context)[0]!.fix).toContain('log-router-memory')
    expect(stoppedTaskFindings(oom('web'), context)[0]!.kind).toBe('out-of-memory')
  })

  it('always says something, quoting ECS, for a reason it does not know', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), reason => {
        const findings = stoppedTaskFindings(stopped(reason, { containers: [] }), context)
        expect(findings.length).toBeGreaterThan(0)
        for (const f of findings) {
          expect(f.severity).toBe('error')
          expect(f.fix.length).toBeGreaterThan(0)
        }
      })
    )
  })
})

describe('which stopped tasks failed', () => {
  it.each([
    ['TaskFailedToStart', 'x', true],
    ['EssentialContainerExited', 'Essential container in task exited', true],
    ['ServiceSchedulerInitiated', 'Scaling activity initiated by (deployment ecs-svc/123)', false],
    ['ServiceSchedulerInitiated', 'Task failed ELB health checks in (target-group arn:…)', true],
    ['UserInitiated', 'Task stopped by user', false],
    ['SpotInterruption', 'Your Spot Task was interrupted.', false]
  ])('%s: %s → %s', (stopCode, stoppedReason, failed) => {
    expect(isFailedStop(stopped(stoppedReason, { stopCode }))).toBe(failed)
  })

  it('never counts a running task', () => {
    expect(isFailedStop(stopped(SSM_DENIED, { lastStatus: 'RUNNING', desiredStatus: 'RUNNING' }))).toBe(false)
  })
})

describe('the parts `multiline` and `wait-for-router` add', () => {
  it('a failed config container: the router never started, and the fix names the shell and the inputs', () => {
    const task = stopped('Essential container in task exited', {
      stopCode: 'EssentialContainerExited',
      containers: [
        { name: 'web', lastStatus: 'STOPPED' },
        { name: 'log-router', lastStatus: 'STOPPED' },
        { name: 'datadog-firelens-config', lastStatus: 'STOPPED', exitCode: 127 }
      ]
    })
    expect(isFailedStop(task)).toBe(true)
    const findings = stoppedTaskFindings(task, context)
    expect(findings.map(f => f.kind)).toEqual(['router-config-failed'])
    expect(findings[0]!.message).toMatch(/datadog-firelens-config\) exited with code 127, so log-router/)
    expect(findings[0]!.fix).toMatch(/needs a shell/)
  })

  it('an unhealthy router: the applications waited for it, not their own health check', () => {
    const task = stopped('Task failed container health checks', {
      stopCode: 'TaskFailedToStart',
      containers: [
        { name: 'web', lastStatus: 'PENDING' },
        { name: 'log-router', lastStatus: 'RUNNING', healthStatus: 'UNHEALTHY' }
      ]
    })
    const findings = stoppedTaskFindings(task, context)
    expect(findings.map(f => f.kind)).toEqual(['router-unhealthy'])
    expect(findings[0]!.message).toMatch(/log-router\) failed its health check \(curl -fs http:\/\/127.0.0.1:2020/)
    expect(findings[0]!.fix).toMatch(/wait-for-router/)
  })

  it('a config container that exited 0 is no finding', () => {
    const task = stopped('Essential container in task exited', {
      stopCode: 'EssentialContainerExited',
      containers: [
        { name: 'web', exitCode: 1 },
        { name: 'log-router', exitCode: 143 },
        { name: 'datadog-firelens-config', exitCode: 0 }
      ]
    })
    expect(stoppedTaskFindings(task, context).map(f => f.kind)).toEqual(['container-exited'])
  })
})
