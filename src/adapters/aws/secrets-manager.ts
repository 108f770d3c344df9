import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { apiKeyFromSecret } from '../../core/checks/secret-value.js'
import { clientConfig } from './client-config.js'

export function createSecretsManagerClient(region: string): SecretsManagerClient {
  return new SecretsManagerClient(clientConfig(region))
}

/** What DescribeSecret says about a secret: never its value. */
export interface SecretMetadata {
  deleted: boolean
  /** The secret's full ARN (with its 6-character suffix). */
  arn?: string
  /** The customer-managed KMS key; Secrets Manager omits it for the AWS-managed key aws/secretsmanager. */
  kmsKeyId?: string
}

/** Metadata only (never the value); undefined when there is no such secret. */
export async function describeSecret(
  client: SecretsManagerClient,
  secretId: string
): Promise<SecretMetadata | undefined> {
  try {
    const response = await client.send(new DescribeSecretCommand({ SecretId: secretId }))
    return {
      deleted: response.DeletedDate !== undefined,
      ...(response.ARN ? { arn: response.ARN } : {}),
      ...(response.KmsKeyId ? { kmsKeyId: response.KmsKeyId } : {})
    }
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined
    throw error
  }
}

/**
 * What ECS would hand the router: the secret's value, or the JSON key that `…:json-key::` selects. Only for
 * `validate-api-key`. A JSON secret without a selected key, or a key that is not there, is a UserError.
 */
export async function readSecret(client: SecretsManagerClient, secretId: string, jsonKey?: string): Promise<string> {
  const response = await client.send(new GetSecretValueCommand({ SecretId: secretId }))
  return apiKeyFromSecret(response.SecretString ?? '', secretId, jsonKey)
}
