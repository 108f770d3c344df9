import { DescribeParametersCommand, GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import { clientConfig } from './client-config.js'

export function createSsmClient(region: string): SSMClient {
  return new SSMClient(clientConfig(region))
}

/** Metadata only (never the value): the parameter's type, or undefined when there is no such parameter. */
export async function describeParameter(client: SSMClient, name: string): Promise<{ type?: string } | undefined> {
  const response = await client.send(
    new DescribeParametersCommand({
      ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }],
      MaxResults: 1
    })
  )
  const parameter = response.Parameters?.[0]
  return parameter ? { ...(parameter.Type ? { type: parameter.Type } : {}) } : undefined
}

/** The decrypted value: only for `validate-api-key`, which has to send the key to Datadog. */
export async function readParameter(client: SSMClient, name: string): Promise<string> {
  const response = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }))
  return response.Parameter?.Value ?? ''
}
