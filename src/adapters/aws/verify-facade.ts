import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import type { ECSClient } from '@aws-sdk/client-ecs'
import { DeadlineReached, UserError } from '../../core/errors.js'
import type { VerifyAws } from '../../core/jobs/aws-ports.js'
import type * as CloudWatchLogs from './cloudwatch-logs.js'
import type * as EcsDeployments from './ecs-deployments.js'
import { describeAwsError, endpointFor } from './errors.js'

/**
 * The verify job's AWS calls (the interface is the core's, src/core/jobs/aws-ports.ts). ECS loads once, with one
 * client per region; CloudWatch Logs only if the router logs there; SSM or Secrets Manager only for a key.
 */
export function lazyVerifyAws(): VerifyAws {
  let ecsModule: Promise<typeof EcsDeployments> | undefined
  const loadEcs = (): Promise<typeof EcsDeployments> => (ecsModule ??= import('./ecs-deployments.js'))
  const ecsClients = new Map<string, ECSClient>()
  const ecs = async (region: string) => {
    const module = await loadEcs()
    let client = ecsClients.get(region)
    if (!client) ecsClients.set(region, (client = module.createEcsClient(region)))
    return { module, client }
  }
  const logsClients = new Map<string, Promise<{ module: typeof CloudWatchLogs; client: CloudWatchLogsClient }>>()
  const logs = (region: string) => {
    let loaded = logsClients.get(region)
    if (!loaded) {
      loaded = import('./cloudwatch-logs.js').then(module => ({ module, client: module.createLogsClient(region) }))
      logsClients.set(region, loaded)
    }
    return loaded
  }
  return {
    preload() {
      loadEcs().catch(() => undefined)
    },
    async describeService(cluster, service, region, signal) {
      const { module, client } = await ecs(region)
      return module.describeService(client, cluster, service, region, signal)
    },
    async describeTaskDefinition(taskDefinition, region, signal) {
      const { module, client } = await ecs(region)
      return module.describeTaskDefinition(client, taskDefinition, region, signal)
    },
    async listTaskArns(filter, region, signal) {
      const { module, client } = await ecs(region)
      return module.listTaskArns(client, filter, region, signal)
    },
    async describeTasks(cluster, arns, region, signal) {
      const { module, client } = await ecs(region)
      return module.describeTasks(client, cluster, arns, region, signal)
    },
    async readLogEvents(where, region, signal) {
      const { module, client } = await logs(region)
      return module.readLogEvents(client, where, region, signal)
    },
    async readKey(ref, region, input, signal) {
      try {
        if (ref.kind === 'ssm') {
          const ssm = await import('./ssm.js')
          return await ssm.readParameter(ssm.createSsmClient(region), ref.name)
        }
        const sm = await import('./secrets-manager.js')
        return await sm.readSecret(sm.createSecretsManagerClient(region), ref.secretId, ref.jsonKey)
      } catch (error) {
        if (signal.aborted)
          throw new DeadlineReached(`stopped waiting for the key in \`${input}\`: the step's timeout was reached`)
        const notFound = /ParameterNotFound|ResourceNotFoundException/.test((error as Error)?.name ?? '')
        if (notFound) {
          throw new UserError(
            `The secret in \`${input}\` (${ref.value}) does not exist in ${region}.`,
            'Check the name or ARN; a parameter in another region needs its full ARN.'
          )
        }
        throw describeAwsError(error, {
          action: ref.kind === 'ssm' ? 'ssm:GetParameter' : 'secretsmanager:GetSecretValue',
          endpoint: endpointFor(ref.kind === 'ssm' ? 'ssm' : 'secretsmanager', region),
          region,
          accessHint: `the verify action reads the key in \`${input}\` (with kms:Decrypt for a customer-managed key).`
        })
      }
    }
  }
}
