import { ECSClient, RegisterTaskDefinitionCommand, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs'
import type { TaskDefinition } from '../task-definition.js'
import { clientConfig } from './client-config.js'
import { describeAwsError, endpointFor } from './errors.js'

/** Registers the definition (its tags included) and returns the new revision's ARN. One call; the SDK retries. */
export async function registerTaskDefinition(
  client: ECSClient,
  taskDefinition: TaskDefinition,
  region: string,
  file: string
): Promise<string> {
  const roles = [taskDefinition.taskRoleArn, taskDefinition.executionRoleArn].filter(Boolean).join(' and ')
  try {
    const response = await client.send(
      new RegisterTaskDefinitionCommand(taskDefinition as unknown as RegisterTaskDefinitionCommandInput)
    )
    const arn = response.taskDefinition?.taskDefinitionArn
    if (!arn) throw new Error('RegisterTaskDefinition answered without a taskDefinitionArn')
    return arn
  } catch (error) {
    throw describeAwsError(error, {
      action: 'ecs:RegisterTaskDefinition',
      endpoint: endpointFor('ecs', region),
      region,
      accessHint: `it also needs iam:PassRole on ${roles || 'the task and execution roles'}.`,
      rejectionHint: `ECS's own words are above; the definition it was given is ${file}.`
    })
  }
}

export function createEcsClient(region: string): ECSClient {
  return new ECSClient(clientConfig(region))
}
