import type { SecretRef } from '../secret-ref.js'
import type { TaskDefinition } from '../task-definition.js'
import type * as EcsModule from './ecs.js'
import { describeAwsError, endpointFor } from './errors.js'
import type * as SsmModule from './ssm.js'
import type { ParameterMetadata } from './ssm.js'

/**
 * The AWS calls of the main action, each loading its SDK client on first use: a run that makes no call loads no
 * SDK code. Every failure is an AwsCallError naming the endpoint, the IAM action and the fix.
 */
export interface AwsFacade {
  /** Starts loading the ECS client, so it compiles while other calls are in flight. */
  preloadRegistration(): void
  registerTaskDefinition(taskDefinition: TaskDefinition, file: string): Promise<string>
  /** Metadata only: the parameter's type and ARN, or undefined when there is none. */
  describeParameter(name: string, region: string): Promise<ParameterMetadata | undefined>
  /** Metadata only: a parameter another account shares with this one, by its full ARN. */
  describeSharedParameter(arn: string, name: string, region: string): Promise<ParameterMetadata | undefined>
  /** The account the calls run in, from the ARN of any of its SSM parameters. */
  parameterAccount(region: string): Promise<string | undefined>
  /** Metadata only: whether the secret is scheduled for deletion, or undefined when there is none. */
  describeSecret(secretId: string, region: string): Promise<{ deleted: boolean } | undefined>
  /** The decrypted key, only for `validate-api-key`. */
  readApiKey(ref: SecretRef): Promise<string>
}

/** `region` is the task's: where ECS registers and where a bare parameter name is looked up. */
export function lazyAws(region: string): AwsFacade {
  let ecsModule: Promise<typeof EcsModule> | undefined
  const loadEcs = (): Promise<typeof EcsModule> => (ecsModule ??= import('./ecs.js'))
  return {
    preloadRegistration() {
      loadEcs().catch(() => undefined)
    },
    async registerTaskDefinition(taskDefinition, file) {
      const ecs = await loadEcs()
      return ecs.registerTaskDefinition(ecs.createEcsClient(region), taskDefinition, region, file)
    },
    describeParameter: (name, parameterRegion) =>
      withSsm(parameterRegion, (ssm, client) => ssm.describeParameter(client, name)),
    describeSharedParameter: (arn, name, parameterRegion) =>
      withSsm(parameterRegion, (ssm, client) => ssm.describeSharedParameter(client, arn, name)),
    parameterAccount: parameterRegion => withSsm(parameterRegion, (ssm, client) => ssm.parameterAccount(client)),
    async describeSecret(secretId, secretRegion) {
      const sm = await import('./secrets-manager.js')
      try {
        return await sm.describeSecret(sm.createSecretsManagerClient(secretRegion), secretId)
      } catch (error) {
        throw describeAwsError(error, {
          action: 'secretsmanager:DescribeSecret',
          endpoint: endpointFor('secretsmanager', secretRegion),
          region: secretRegion
        })
      }
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
        throw describeAwsError(error, {
          action: ref.kind === 'ssm' ? 'ssm:GetParameter' : 'secretsmanager:GetSecretValue',
          endpoint: endpointFor(ref.kind === 'ssm' ? 'ssm' : 'secretsmanager', keyRegion),
          region: keyRegion,
          accessHint:
            'validate-api-key reads the key (with kms:Decrypt for a customer-managed key); or set validate-api-key: false.'
        })
      }
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
    throw describeAwsError(error, { action: 'ssm:DescribeParameters', endpoint: endpointFor('ssm', region), region })
  }
}
