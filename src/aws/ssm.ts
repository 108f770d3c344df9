import { DescribeParametersCommand, GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import { clientConfig } from './client-config.js'

export function createSsmClient(region: string): SSMClient {
  return new SSMClient(clientConfig(region))
}

/** What DescribeParameters says about a parameter: never its value. */
export interface ParameterMetadata {
  type?: string
  /** The parameter's full ARN. */
  arn?: string
  /** The KMS key of a SecureString, as SSM reports it: `alias/aws/ssm`, a key id, a key ARN or an alias. */
  keyId?: string
}

/** Metadata only (never the value): type, ARN and KMS key, or undefined when there is no such parameter. */
export async function describeParameter(client: SSMClient, name: string): Promise<ParameterMetadata | undefined> {
  const response = await client.send(
    new DescribeParametersCommand({
      ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }],
      MaxResults: 1
    })
  )
  const parameter = response.Parameters?.[0]
  if (!parameter) return undefined
  return {
    ...(parameter.Type ? { type: parameter.Type } : {}),
    ...(parameter.ARN ? { arn: parameter.ARN } : {}),
    ...(parameter.KeyId ? { keyId: parameter.KeyId } : {})
  }
}

/** The decrypted value: only for `validate-api-key`, which has to send the key to Datadog. */
export async function readParameter(client: SSMClient, name: string): Promise<string> {
  const response = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }))
  return response.Parameter?.Value ?? ''
}
