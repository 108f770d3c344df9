import {
  DescribeParametersCommand,
  GetParameterCommand,
  SSMClient,
  type DescribeParametersCommandInput,
  type ParameterMetadata as SsmParameterMetadata
} from '@aws-sdk/client-ssm'
import { clientConfig } from './client-config.js'

export function createSsmClient(region: string): SSMClient {
  return new SSMClient(clientConfig(region))
}

/** What DescribeParameters says about a parameter: never its value. */
export interface ParameterMetadata {
  type?: string
  /** The full ARN, whose account is where SSM found it. */
  arn?: string
  /** The KMS key of a SecureString, as SSM reports it: `alias/aws/ssm`, a key id, a key ARN or an alias. */
  keyId?: string
}

/**
 * DescribeParameters answers "on a best-effort basis": a page may hold fewer matches than asked for, even none, and
 * a NextToken. So a match is looked for across pages; the bound keeps a huge account from making this a long walk.
 */
const MAX_PAGES = 10

async function findParameter(
  client: SSMClient,
  input: DescribeParametersCommandInput,
  matches: (parameter: SsmParameterMetadata) => boolean
): Promise<ParameterMetadata | undefined> {
  let token: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await client.send(
      new DescribeParametersCommand({ ...input, ...(token ? { NextToken: token } : {}) })
    )
    const found = response.Parameters?.find(matches)
    if (found) return { type: found.Type, arn: found.ARN, keyId: found.KeyId }
    token = response.NextToken
    if (!token) return undefined
  }
  return undefined
}

const byName = (name: string): DescribeParametersCommandInput['ParameterFilters'] => [
  { Key: 'Name', Option: 'Equals', Values: [name] }
]

/** Metadata only (never the value) of this account's parameter, or undefined when there is no such parameter. */
export async function describeParameter(client: SSMClient, name: string): Promise<ParameterMetadata | undefined> {
  return findParameter(client, { ParameterFilters: byName(name), MaxResults: 1 }, () => true)
}

/**
 * A parameter another account shares with this one (AWS RAM), found by its full ARN among those DescribeParameters
 * lists with `Shared: true`; undefined when it is not listed there. Metadata only.
 */
export async function describeSharedParameter(
  client: SSMClient,
  arn: string,
  name: string
): Promise<ParameterMetadata | undefined> {
  return findParameter(
    client,
    { ParameterFilters: byName(name), Shared: true, MaxResults: 50 },
    parameter => parameter.ARN === arn
  )
}

/** The account these calls run in, read from the ARN of any of its parameters; undefined when SSM shows none. */
export async function parameterAccount(client: SSMClient): Promise<string | undefined> {
  const any = await findParameter(client, { MaxResults: 1 }, parameter => parameter.ARN !== undefined)
  return any?.arn?.split(':')[4] || undefined
}

/** The decrypted value: only for `validate-api-key`, which has to send the key to Datadog. A shared one by ARN. */
export async function readParameter(client: SSMClient, nameOrArn: string): Promise<string> {
  const response = await client.send(new GetParameterCommand({ Name: nameOrArn, WithDecryption: true }))
  return response.Parameter?.Value ?? ''
}
