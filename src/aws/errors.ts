import { AwsCallError } from '../errors.js'

/** What was being attempted, so an AWS failure can say where and what to grant. */
export interface AwsCallContext {
  /** The IAM action of the call, e.g. ecs:RegisterTaskDefinition. */
  action: string
  endpoint: string
  region: string
  /** What else to grant for this call (e.g. iam:PassRole on the roles), added to an access-denied hint. */
  accessHint?: string
  /** Added to a service's own rejection (ClientException, validation errors). */
  rejectionHint?: string
}

interface AwsLikeError {
  name?: string
  code?: string
  message?: string
  $metadata?: { httpStatusCode?: number; attempts?: number }
}

const NETWORK_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']

export function isAccessDenied(error: unknown): boolean {
  const e = error as AwsLikeError
  return (
    /AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(e?.name ?? '') ||
    /not authorized to perform/i.test(e?.message ?? '')
  )
}

/** No credentials at all (the SDK's provider chain found none), as opposed to rejected ones. */
export function isMissingCredentials(error: unknown): boolean {
  const e = error as AwsLikeError
  return /CredentialsProviderError/.test(e?.name ?? '') || /Could not load credentials/i.test(e?.message ?? '')
}

/** Turns an AWS SDK failure into the message a user can act on. The service's own text is kept verbatim. */
export function describeAwsError(error: unknown, context: AwsCallContext): AwsCallError {
  const e = (error ?? {}) as AwsLikeError
  const name = e.name ?? 'Error'
  const message = e.message ?? String(error)
  const attempts = e.$metadata?.attempts
  const tried = attempts && attempts > 1 ? ` after ${attempts} attempts` : ''

  if (isAccessDenied(e)) {
    const principal = /User: (\S+)/.exec(message)?.[1]
    const action = /perform: (\S+)/.exec(message)?.[1] ?? context.action
    const who = principal ? ` to ${principal}` : ''
    const grant =
      action === context.action && context.accessHint
        ? `Grant ${action} to the role this workflow uses; ${context.accessHint}`
        : `Grant ${action} to the role this workflow uses.`
    return new AwsCallError(`AWS denied ${action}${who}: ${message}`, grant, action)
  }
  if (/CredentialsProviderError/.test(name) || /Could not load credentials/i.test(message)) {
    return new AwsCallError(
      `No AWS credentials were found for ${context.action}.`,
      'Add aws-actions/configure-aws-credentials before this step (with `permissions: id-token: write` for OIDC), or set register: false for a dry run.'
    )
  }
  if (/UnrecognizedClient|InvalidSignature|ExpiredToken|InvalidClientTokenId/i.test(name)) {
    return new AwsCallError(
      `AWS rejected the credentials for ${context.action} (${name}): ${message}`,
      'The credentials are invalid or expired; check the configure-aws-credentials step and the role session duration.'
    )
  }
  const code = e.code ?? /\b(E[A-Z]{4,})\b/.exec(message)?.[1]
  if (name === 'TimeoutError' || code === 'ETIMEDOUT') {
    return new AwsCallError(
      `${context.endpoint} (region ${context.region}) did not answer ${context.action} in time${tried}.`,
      'AWS may be unreachable from this runner (proxy, firewall, VPC endpoint) or slow; the call was stopped instead of waiting. Retry, and check the network and AWS_REGION.'
    )
  }
  if (code && NETWORK_CODES.includes(code)) {
    return new AwsCallError(
      `Could not reach ${context.endpoint} (region ${context.region}) for ${context.action}: ${code}.`,
      'Check AWS_REGION (and AWS_ENDPOINT_URL if you set one) and that the runner can reach AWS.'
    )
  }
  const status = e.$metadata?.httpStatusCode
  if (/Throttl|TooManyRequests|RequestLimitExceeded/i.test(name)) {
    return new AwsCallError(
      `AWS throttled ${context.action}${tried} (${name}): ${message}`,
      'Too many calls at once, e.g. a large matrix of deploys: retry the job, or limit max-parallel in the workflow.'
    )
  }
  if ((status !== undefined && status >= 500) || /ServerException|InternalError|ServiceUnavailable/i.test(name)) {
    return new AwsCallError(
      `AWS failed ${context.action} with a server error${status ? ` (HTTP ${status})` : ''}${tried} (${name}): ${message}`,
      "This is on AWS's side; retry the job."
    )
  }
  return new AwsCallError(`AWS rejected ${context.action} (${name}): ${message}`, context.rejectionHint)
}

/** The endpoint a client talks to, for error messages: the override the SDK honours, else the public one. */
export function endpointFor(
  service: 'ecs' | 'ssm' | 'secretsmanager' | 'logs',
  region: string,
  env: NodeJS.ProcessEnv = process.env
): string {
  const specific = {
    ecs: 'AWS_ENDPOINT_URL_ECS',
    ssm: 'AWS_ENDPOINT_URL_SSM',
    secretsmanager: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
    logs: 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS'
  }[service]
  return env[specific] || env.AWS_ENDPOINT_URL || `https://${service}.${region}.amazonaws.com`
}
