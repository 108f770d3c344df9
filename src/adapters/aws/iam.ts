import { GetRoleCommand, IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam'
import type { Decision, RoleFacts, Simulation } from '../../core/checks/roles.js'
import { clientConfig } from './client-config.js'

/** IAM is global: the region only picks the partition's endpoint (iam.amazonaws.com, iam.us-gov…, iam.…cn). */
export function createIamClient(region: string): IAMClient {
  return new IAMClient(clientConfig(region))
}

const isNoSuchEntity = (error: unknown): boolean => (error as Error | undefined)?.name === 'NoSuchEntityException'

/** The role's ARN and trust policy; undefined when there is no such role. `name` is the role name, not its ARN. */
export async function getRole(client: IAMClient, name: string): Promise<RoleFacts | undefined> {
  try {
    const response = await client.send(new GetRoleCommand({ RoleName: name }))
    const role = response.Role
    if (!role?.Arn) throw new Error('GetRole answered without a role ARN')
    return { arn: role.Arn, trustPolicy: decodePolicy(role.AssumeRolePolicyDocument ?? '') }
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined
    throw error
  }
}

/** IAM returns policy documents URL-encoded (RFC 3986); the SDK passes them through as they are. */
export function decodePolicy(document: string): string {
  if (document.trimStart().startsWith('{')) return document
  try {
    return decodeURIComponent(document)
  } catch {
    return document
  }
}

const DECISIONS: readonly string[] = ['allowed', 'explicitDeny', 'implicitDeny'] satisfies Decision[]

/**
 * What the role's own policies (identity policies, permissions boundary, SCPs) decide for one action on one
 * resource; undefined when there is no such role.
 */
export async function simulate(
  client: IAMClient,
  roleArn: string,
  action: string,
  resource: string
): Promise<Simulation | undefined> {
  try {
    const response = await client.send(
      new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn, ActionNames: [action], ResourceArns: [resource] })
    )
    const result = response.EvaluationResults?.find(r => r.EvalActionName?.toLowerCase() === action.toLowerCase())
    const decision = result?.EvalDecision
    if (!result || !decision || !DECISIONS.includes(decision)) {
      throw new Error(`SimulatePrincipalPolicy answered without a decision for ${action}`)
    }
    const specific = result.ResourceSpecificResults?.find(r => r.EvalResourceName === resource)
    const missing = [...(result.MissingContextValues ?? []), ...(specific?.MissingContextValues ?? [])]
    return {
      decision,
      missingContext: [...new Set(missing)],
      ...(result.OrganizationsDecisionDetail?.AllowedByOrganizations === false
        ? { allowedByOrganizations: false }
        : {}),
      ...(result.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary === false
        ? { allowedByPermissionsBoundary: false }
        : {})
    }
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined
    throw error
  }
}

/** The endpoint an IAM client talks to, for error messages: the override the SDK honours, else the partition's. */
export function iamEndpoint(region: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.AWS_ENDPOINT_URL_IAM || env.AWS_ENDPOINT_URL
  if (override) return override
  if (region.startsWith('cn-')) return 'https://iam.cn-north-1.amazonaws.com.cn'
  if (region.startsWith('us-gov-')) return 'https://iam.us-gov.amazonaws.com'
  return 'https://iam.amazonaws.com'
}
