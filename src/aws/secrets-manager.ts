import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
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

/** The secret's value, or one JSON key of it as ECS's `…:json-key::` form selects: only for `validate-api-key`. */
export async function readSecret(client: SecretsManagerClient, secretId: string, jsonKey?: string): Promise<string> {
  const response = await client.send(new GetSecretValueCommand({ SecretId: secretId }))
  const value = response.SecretString ?? ''
  if (!jsonKey) return value
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    // JSON.parse's message quotes the text: never let the secret reach a log.
    throw new Error(`the secret is not JSON, so it has no key "${jsonKey}"`)
  }
  const field = (parsed as Record<string, unknown> | null)?.[jsonKey]
  return typeof field === 'string' ? field : ''
}
