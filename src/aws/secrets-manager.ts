import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { apiKeyFromSecret } from '../checks/secret-value.js'
import { clientConfig } from './client-config.js'

export function createSecretsManagerClient(region: string): SecretsManagerClient {
  return new SecretsManagerClient(clientConfig(region))
}

/** Metadata only (never the value); undefined when there is no such secret. */
export async function describeSecret(
  client: SecretsManagerClient,
  secretId: string
): Promise<{ deleted: boolean } | undefined> {
  try {
    const response = await client.send(new DescribeSecretCommand({ SecretId: secretId }))
    return { deleted: response.DeletedDate !== undefined }
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
