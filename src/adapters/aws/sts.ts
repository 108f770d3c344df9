import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { clientConfig } from './client-config.js'

/** STS in the task's region (the SDK's default: regional endpoints). */
export function createStsClient(region: string): STSClient {
  return new STSClient(clientConfig(region))
}

/**
 * The account this workflow's credentials belong to. sts:GetCallerIdentity needs no permission (an explicit Deny
 * cannot stop it), so it is the one sure way to tell whether a role ARN names this account.
 */
export async function callerAccount(client: STSClient): Promise<string> {
  const response = await client.send(new GetCallerIdentityCommand({}))
  if (!response.Account) throw new Error('GetCallerIdentity answered without an account')
  return response.Account
}
