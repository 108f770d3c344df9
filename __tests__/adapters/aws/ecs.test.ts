import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  AccessDeniedException,
  ClientException,
  ECSClient,
  RegisterTaskDefinitionCommand,
  ServerException
} from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { registerTaskDefinition } from '../../../src/adapters/aws/ecs.js'
import { UserError } from '../../../src/core/errors.js'
import type { TaskDefinition } from '../../../src/core/definition/task-definition.js'

const REGION = 'ap-southeast-2'
const TASK_ROLE = 'arn:aws:iam::111122223333:role/web-task'
const EXECUTION_ROLE = 'arn:aws:iam::111122223333:role/web-execution'
const ARN = 'arn:aws:ecs:ap-southeast-2:111122223333:task-definition/web:42'

const taskDefinition = (): TaskDefinition => ({
  family: 'web',
  taskRoleArn: TASK_ROLE,
  executionRoleArn: EXECUTION_ROLE,
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'app', image: 'nginx:1.27', essential: true }],
  tags: [
    { key: 'team', value: 'web' },
    { key: 'dd-firelens', value: 'true' }
  ]
})

const ecsMock = mockClient(ECSClient)
const ENDPOINT_VARS = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_ECS'] as const
const savedEnv: Record<string, string | undefined> = {}

beforeEach(() => {
  ecsMock.reset()
  for (const name of ENDPOINT_VARS) {
    savedEnv[name] = process.env[name]
    delete process.env[name]
  }
})

afterEach(() => {
  for (const name of ENDPOINT_VARS) {
    if (savedEnv[name] === undefined) delete process.env[name]
    else process.env[name] = savedEnv[name]
  }
})

/** Registers with the mocked client and returns the UserError it must fail with. */
async function failure(td: TaskDefinition = taskDefinition()): Promise<UserError> {
  const client = new ECSClient({ region: REGION })
  try {
    await registerTaskDefinition(client, td, REGION, 'task-def.json')
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as UserError
  }
  throw new Error('expected registerTaskDefinition to fail')
}

function sdkError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: {}, ...extra })
}

describe('registerTaskDefinition', () => {
  it('sends exactly one RegisterTaskDefinitionCommand with the definition as given, tags included', async () => {
    ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: ARN } })
    const td = taskDefinition()
    const arn = await registerTaskDefinition(new ECSClient({ region: REGION }), td, REGION, 'task-def.json')
    expect(arn).toBe(ARN)
    expect(ecsMock.calls()).toHaveLength(1)
    const calls = ecsMock.commandCalls(RegisterTaskDefinitionCommand)
    expect(calls).toHaveLength(1)
    expect(calls[0]!.args[0].input).toEqual(taskDefinition())
    expect(calls[0]!.args[0].input.tags).toEqual([
      { key: 'team', value: 'web' },
      { key: 'dd-firelens', value: 'true' }
    ])
  })

  it('says a revision may exist, and how to check, when ECS answers without an ARN', async () => {
    ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { family: 'web', revision: 3 } })
    const error = await failure()
    expect(error.message).toBe(
      `ECS answered ecs:RegisterTaskDefinition (https://ecs.${REGION}.amazonaws.com, region ${REGION}) without an ARN: a revision of "web" may exist.`
    )
    expect(error.hint).toContain(`\`aws ecs list-task-definitions --family-prefix web --region ${REGION}\``)
    expect(ecsMock.calls()).toHaveLength(1)
  })

  it('calls an HTML answer a non-AWS answer, without the SDK parser’s words', async () => {
    const html = Object.assign(
      new SyntaxError(
        `Unexpected token '<', "<html><bod"... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`
      ),
      {
        $metadata: { httpStatusCode: 200, attempts: 1 },
        $response: { statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' } }
      }
    )
    ecsMock.on(RegisterTaskDefinitionCommand).rejects(html)
    const error = await failure()
    expect(error.message).toBe(
      `ecs:RegisterTaskDefinition got a non-AWS answer from https://ecs.${REGION}.amazonaws.com (HTTP 200, text/html; charset=utf-8): a proxy or a captive portal answering instead of AWS?`
    )
    expect(error.hint).toContain('HTTPS_PROXY')
    expect(error.text).not.toMatch(/Deserialization|\$response|Unexpected token|SyntaxError/)
  })

  it('names the principal and action of an AccessDenied, and hints at iam:PassRole on the roles', async () => {
    const message =
      'User: arn:aws:sts::111122223333:assumed-role/deployer/ci is not authorized to perform: ecs:RegisterTaskDefinition on resource: * because no identity-based policy allows the ecs:RegisterTaskDefinition action'
    ecsMock.on(RegisterTaskDefinitionCommand).rejects(new AccessDeniedException({ message, $metadata: {} }))
    const error = await failure()
    expect(error.message).toContain('arn:aws:sts::111122223333:assumed-role/deployer/ci')
    expect(error.message).toContain('AWS denied ecs:RegisterTaskDefinition')
    expect(error.message).toContain(message)
    expect(error.hint).toContain('Grant ecs:RegisterTaskDefinition')
    expect(error.hint).toContain('iam:PassRole')
    expect(error.hint).toContain(TASK_ROLE)
    expect(error.hint).toContain(EXECUTION_ROLE)
  })

  it('says "the task and execution roles" when the definition names none', async () => {
    const message =
      'User: arn:aws:sts::111122223333:assumed-role/deployer/ci is not authorized to perform: ecs:RegisterTaskDefinition on resource: *'
    ecsMock.on(RegisterTaskDefinitionCommand).rejects(new AccessDeniedException({ message, $metadata: {} }))
    const td = taskDefinition()
    delete td.taskRoleArn
    delete td.executionRoleArn
    expect((await failure(td)).hint).toContain('iam:PassRole on the task and execution roles')
  })

  it('names iam:PassRole when that is what was denied', async () => {
    const message = `User: arn:aws:sts::111122223333:assumed-role/deployer/ci is not authorized to perform: iam:PassRole on resource: ${EXECUTION_ROLE} because no identity-based policy allows the iam:PassRole action`
    ecsMock.on(RegisterTaskDefinitionCommand).rejects(new AccessDeniedException({ message, $metadata: {} }))
    const error = await failure()
    expect(error.message).toContain('AWS denied iam:PassRole')
    expect(error.message).toContain('arn:aws:sts::111122223333:assumed-role/deployer/ci')
    expect(error.hint).toBe('Grant iam:PassRole to the role this workflow uses.')
  })

  it("keeps a ClientException's message verbatim and names the file", async () => {
    const message =
      "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified."
    ecsMock.on(RegisterTaskDefinitionCommand).rejects(new ClientException({ message, $metadata: {} }))
    const error = await failure()
    expect(error.message).toBe(`AWS rejected ecs:RegisterTaskDefinition (ClientException): ${message}`)
    expect(error.hint).toContain('task-def.json')
  })

  it('reports a server error with the status and the attempts', async () => {
    ecsMock
      .on(RegisterTaskDefinitionCommand)
      .rejects(new ServerException({ message: 'Internal failure', $metadata: { httpStatusCode: 500, attempts: 3 } }))
    const error = await failure()
    expect(error.message).toContain('server error (HTTP 500) after 3 attempts')
    expect(error.message).toContain('Internal failure')
    expect(error.hint).toMatch(/retry/i)
  })

  it('reports throttling', async () => {
    ecsMock
      .on(RegisterTaskDefinitionCommand)
      .rejects(sdkError('ThrottlingException', 'Rate exceeded', { $metadata: { httpStatusCode: 400, attempts: 3 } }))
    const error = await failure()
    expect(error.message).toBe(
      'AWS throttled ecs:RegisterTaskDefinition after 3 attempts (ThrottlingException): Rate exceeded'
    )
    expect(error.hint).toMatch(/max-parallel/)
  })

  it('names the default endpoint and region on a timeout', async () => {
    ecsMock
      .on(RegisterTaskDefinitionCommand)
      .rejects(sdkError('TimeoutError', 'Request did not complete within 10000 ms'))
    const error = await failure()
    expect(error.message).toContain(`https://ecs.${REGION}.amazonaws.com`)
    expect(error.message).toContain(`region ${REGION}`)
    expect(error.message).toMatch(/did not answer ecs:RegisterTaskDefinition in time/)
  })

  it('says a revision may have been registered when the call was cut off', async () => {
    ecsMock
      .on(RegisterTaskDefinitionCommand)
      .rejects(sdkError('TimeoutError', 'no complete answer within 10 s', { $metadata: { attempts: 3 } }))
    const error = await failure()
    expect(error.message).toContain('did not answer ecs:RegisterTaskDefinition in time after 3 attempts')
    expect(error.hint).toContain(
      `ECS may have registered a revision before its answer was cut off: check with \`aws ecs list-task-definitions --family-prefix web --region ${REGION}\``
    )
  })

  it('names AWS_ENDPOINT_URL on an ETIMEDOUT', async () => {
    process.env.AWS_ENDPOINT_URL = 'http://localhost:4566'
    ecsMock
      .on(RegisterTaskDefinitionCommand)
      .rejects(sdkError('Error', 'connect ETIMEDOUT 10.0.0.1:443', { code: 'ETIMEDOUT' }))
    const error = await failure()
    expect(error.message).toContain('http://localhost:4566 (region ap-southeast-2)')
    expect(error.message).toMatch(/in time/)
  })

  it('says "Could not reach" on ECONNREFUSED', async () => {
    ecsMock
      .on(RegisterTaskDefinitionCommand)
      .rejects(sdkError('Error', 'connect ECONNREFUSED 127.0.0.1:443', { code: 'ECONNREFUSED' }))
    const error = await failure()
    expect(error.message).toBe(
      `Could not reach https://ecs.${REGION}.amazonaws.com (region ${REGION}) for ecs:RegisterTaskDefinition: ECONNREFUSED.`
    )
  })

  it('points at configure-aws-credentials when there are no credentials', async () => {
    ecsMock
      .on(RegisterTaskDefinitionCommand)
      .rejects(sdkError('CredentialsProviderError', 'Could not load credentials from any providers'))
    const error = await failure()
    expect(error.message).toBe('No AWS credentials were found for ecs:RegisterTaskDefinition.')
    expect(error.hint).toContain('aws-actions/configure-aws-credentials')
  })
})
