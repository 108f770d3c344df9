import { ECSClient, RegisterTaskDefinitionCommand, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs'
import { AwsCallError } from '../../core/errors.js'
import type { TaskDefinition } from '../../core/definition/task-definition.js'
import { clientConfig } from './client-config.js'
import { describeAwsError, endpointFor, REGISTER_FALSE_HINT } from './errors.js'

/** Registers the definition (its tags included) and returns the new revision's ARN. One call; the SDK retries. */
export async function registerTaskDefinition(
  client: ECSClient,
  taskDefinition: TaskDefinition,
  region: string,
  file: string
): Promise<string> {
  const roles = [taskDefinition.taskRoleArn, taskDefinition.executionRoleArn].filter(Boolean).join(' and ')
  const endpoint = endpointFor('ecs', region)
  const check = `\`aws ecs list-task-definitions --family-prefix ${taskDefinition.family} --region ${region}\``
  let response
  try {
    response = await client.send(
      new RegisterTaskDefinitionCommand(taskDefinition as unknown as RegisterTaskDefinitionCommandInput)
    )
  } catch (error) {
    throw describeAwsError(error, {
      action: 'ecs:RegisterTaskDefinition',
      endpoint,
      region,
      accessHint: `it also needs iam:PassRole on ${roles || 'the task and execution roles'}.`,
      rejectionHint: `ECS's own words are above; the definition it was given is ${file}.`,
      cutOffHint: `ECS may have registered a revision before its answer was cut off: check with ${check} before re-running this step.`,
      credentialsHint: REGISTER_FALSE_HINT
    })
  }
  const arn = response.taskDefinition?.taskDefinitionArn
  if (!arn) {
    // ECS may well have registered it: say so, rather than invite a re-run that registers another revision.
    throw new AwsCallError(
      `ECS answered ecs:RegisterTaskDefinition (${endpoint}, region ${region}) without an ARN: a revision of "${taskDefinition.family}" may exist.`,
      `Check with ${check} before re-running this step; if the answer came from a proxy rather than ECS, check HTTPS_PROXY / NO_PROXY.`
    )
  }
  return arn
}

export function createEcsClient(region: string): ECSClient {
  return new ECSClient(clientConfig(region))
}
