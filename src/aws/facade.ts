import type { SecretRef } from '../secret-ref.js'
import type { TaskDefinition } from '../task-definition.js'
import type * as EcsModule from './ecs.js'
import { describeAwsError, endpointFor } from './errors.js'

/**
 * The AWS calls of the main action, each loading its SDK client on first use: a run that makes no call loads no
 * SDK code. Every failure is an AwsCallError naming the endpoint, the IAM action and the fix.
 */
export interface AwsFacade {
  /** Starts loading the ECS client, so it compiles while other calls are in flight. */
  preloadRegistration(): void
  registerTaskDefinition(taskDefinition: TaskDefinition, file: string): Promise<string>
  /** Metadata only: the parameter's type, or undefined when there is none. */
  describeParameter(name: string, region: string): Promise<{ type?: string } | undefined>
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
    async describeParameter(name, parameterRegion) {
      const ssm = await import('./ssm.js')
      try {
        return await ssm.describeParameter(ssm.createSsmClient(parameterRegion), name)
      } catch (error) {
        throw describeAwsError(error, {
          action: 'ssm:DescribeParameters',
          endpoint: endpointFor('ssm', parameterRegion),
          region: parameterRegion
        })
      }
    },
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
          return await ssm.readParameter(ssm.createSsmClient(keyRegion), ref.name)
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
