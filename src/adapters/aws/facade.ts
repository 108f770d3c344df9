import type { IAMClient } from '@aws-sdk/client-iam'
import { MissingCredentialsError, type UserError } from '../../core/errors.js'
import type { PatchAws } from '../../core/jobs/aws-ports.js'
import type * as EcsModule from './ecs.js'
import {
  describeAwsError,
  endpointFor,
  isMissingCredentials,
  REGISTER_FALSE_HINT,
  type AwsCallContext
} from './errors.js'
import type * as IamModule from './iam.js'
import type * as SsmModule from './ssm.js'

/**
 * The AWS calls of the patch job (the interface is the core's, src/core/jobs/aws-ports.ts), each loading its SDK
 * client on first use: a run that makes no call loads no SDK code. Every failure is an AwsCallError naming the
 * endpoint, the IAM action and the fix; no credentials at all is a MissingCredentialsError, so the checks can only
 * warn when nothing is registered.
 */
export type AwsFacade = PatchAws

/** describeAwsError, except that no credentials at all gets its own type. */
function described(error: unknown, context: AwsCallContext): UserError {
  const description = describeAwsError(error, { credentialsHint: REGISTER_FALSE_HINT, ...context })
  return isMissingCredentials(error) ? new MissingCredentialsError(description.message, description.hint) : description
}

/** `region` is the task's: where ECS registers and where a bare parameter name is looked up. */
export function lazyAws(region: string): AwsFacade {
  let ecsModule: Promise<typeof EcsModule> | undefined
  const loadEcs = (): Promise<typeof EcsModule> => (ecsModule ??= import('./ecs.js'))
  let iam: Promise<{ module: typeof IamModule; client: IAMClient }> | undefined
  // One client for the concurrent IAM calls, loaded only when verify-roles runs.
  const loadIam = () =>
    (iam ??= import('./iam.js').then(module => ({ module, client: module.createIamClient(region) })))
  const metadata = new Map<string, Promise<unknown>>()
  const once = <T>(key: string, lookup: () => Promise<T>): Promise<T> => {
    if (!metadata.has(key)) metadata.set(key, lookup())
    return metadata.get(key) as Promise<T>
  }
  const iamCall = async <T>(
    action: string,
    accessHint: string,
    call: (module: typeof IamModule, client: IAMClient) => Promise<T>
  ): Promise<T> => {
    const { module, client } = await loadIam()
    try {
      return await call(module, client)
    } catch (error) {
      throw described(error, { action, endpoint: module.iamEndpoint(region), region, accessHint })
    }
  }
  return {
    preloadRegistration() {
      loadEcs().catch(() => undefined)
    },
    async registerTaskDefinition(taskDefinition, file) {
      const ecs = await loadEcs()
      return ecs.registerTaskDefinition(ecs.createEcsClient(region), taskDefinition, region, file)
    },
    describeParameter: (name, parameterRegion) =>
      once(`ssm ${parameterRegion} ${name}`, () =>
        withSsm(parameterRegion, (ssm, client) => ssm.describeParameter(client, name))
      ),
    describeSharedParameter: (arn, name, parameterRegion) =>
      once(`ssm shared ${arn}`, () =>
        withSsm(parameterRegion, (ssm, client) => ssm.describeSharedParameter(client, arn, name))
      ),
    parameterAccount: parameterRegion => withSsm(parameterRegion, (ssm, client) => ssm.parameterAccount(client)),
    describeSecret(secretId, secretRegion) {
      return once(`secretsmanager ${secretRegion} ${secretId}`, async () => {
        const sm = await import('./secrets-manager.js')
        try {
          return await sm.describeSecret(sm.createSecretsManagerClient(secretRegion), secretId)
        } catch (error) {
          throw described(error, {
            action: 'secretsmanager:DescribeSecret',
            endpoint: endpointFor('secretsmanager', secretRegion),
            region: secretRegion
          })
        }
      })
    },
    async readApiKey(ref) {
      const keyRegion = ref.region ?? region
      try {
        if (ref.kind === 'ssm') {
          const ssm = await import('./ssm.js')
          // An ARN is read as such: another account's (shared) parameter is only found by its full ARN.
          return await ssm.readParameter(ssm.createSsmClient(keyRegion), ref.account ? ref.value : ref.name)
        }
        const sm = await import('./secrets-manager.js')
        return await sm.readSecret(sm.createSecretsManagerClient(keyRegion), ref.secretId, ref.jsonKey)
      } catch (error) {
        throw described(error, {
          action: ref.kind === 'ssm' ? 'ssm:GetParameter' : 'secretsmanager:GetSecretValue',
          endpoint: endpointFor(ref.kind === 'ssm' ? 'ssm' : 'secretsmanager', keyRegion),
          region: keyRegion,
          accessHint:
            'validate-api-key reads the key (with kms:Decrypt for a customer-managed key); or set validate-api-key: false.'
        })
      }
    },
    getRole(name) {
      return iamCall('iam:GetRole', 'verify-roles reads the trust policies of the task roles.', (m, client) =>
        m.getRole(client, name)
      )
    },
    callerAccount: () =>
      once('sts caller', async () => {
        const sts = await import('./sts.js')
        try {
          return await sts.callerAccount(sts.createStsClient(region))
        } catch (error) {
          throw described(error, { action: 'sts:GetCallerIdentity', endpoint: endpointFor('sts', region), region })
        }
      }),
    logGroupExists: (group, groupRegion) =>
      once(`logs ${groupRegion} ${group}`, async () => {
        const logs = await import('./cloudwatch-logs.js')
        try {
          return await logs.logGroupExists(logs.createLogsClient(groupRegion), group)
        } catch (error) {
          throw described(error, {
            action: 'logs:DescribeLogGroups',
            endpoint: endpointFor('logs', groupRegion),
            region: groupRegion,
            accessHint:
              'verify-log-groups checks that the log groups of the awslogs driver exist; or set verify-log-groups: false.'
          })
        }
      }),
    simulatePrincipalPolicy(roleArn, action, resource) {
      return iamCall(
        'iam:SimulatePrincipalPolicy',
        'verify-roles simulates what the task execution role may do.',
        (m, client) => m.simulate(client, roleArn, action, resource)
      )
    }
  }
}

/** An ssm:DescribeParameters call in a region, its failure described (endpoint, region, IAM action). */
async function withSsm<T>(
  region: string,
  call: (ssm: typeof SsmModule, client: ReturnType<typeof SsmModule.createSsmClient>) => Promise<T>
): Promise<T> {
  const ssm = await import('./ssm.js')
  try {
    return await call(ssm, ssm.createSsmClient(region))
  } catch (error) {
    throw described(error, { action: 'ssm:DescribeParameters', endpoint: endpointFor('ssm', region), region })
  }
}
