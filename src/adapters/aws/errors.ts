import { AwsCallError, UserError } from '../../core/errors.js'
import { describeProxy, proxyFor, type ProxyRoute } from '../http/proxy.js'
import { AWS_TIMEOUTS } from './timeouts.js'

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
  /** Added when the call was cut off: what may have happened anyway (e.g. a revision registered). */
  cutOffHint?: string
  /**
   * Added when there are no credentials at all: what else the action that calls may do without them. Each action
   * says its own (only the main action has `register`), so a shared message never names another action's input.
   */
  credentialsHint?: string
}

/** The main action's way on without credentials (with `register: false` they only skip its checks, with a warning). */
export const REGISTER_FALSE_HINT = 'Or set register: false to only write the patched file.'

interface AwsLikeError {
  name?: string
  code?: string
  message?: string
  $metadata?: { httpStatusCode?: number; attempts?: number }
  /** The HTTP answer the SDK could not make sense of (set by its deserializer). */
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> }
}

const NETWORK_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']

function isAccessDenied(error: unknown): boolean {
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

const header = (e: AwsLikeError, name: string): string | undefined =>
  Object.entries(e.$response?.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1]

/**
 * An answer that did not come from AWS: HTML (a proxy's login page, a captive portal), a body the SDK could not parse,
 * or an error without AWS's request id that is not in AWS's format either (no error type, or not JSON/XML). AWS's own
 * answers always carry a request id.
 */
function nonAwsAnswer(e: AwsLikeError): { status?: number; contentType?: string } | undefined {
  if (!e.$response) return undefined
  const contentType = header(e, 'content-type')
  const awsRequestId = header(e, 'x-amzn-requestid') ?? header(e, 'x-amz-request-id')
  const looksAws = /json|xml/i.test(contentType ?? '') && !/html/i.test(contentType ?? '')
  const unknown = e.name === 'Unknown' || e.name === 'UnknownError'
  if (e.name === 'SyntaxError' || /html/i.test(contentType ?? '') || (!awsRequestId && (unknown || !looksAws))) {
    return { status: e.$response.statusCode ?? e.$metadata?.httpStatusCode, contentType }
  }
  return undefined
}

/** The proxy a call to this endpoint goes through, if any (never throws: this only adds to a message). */
function routeOf(endpoint: string): ProxyRoute | undefined {
  try {
    return proxyFor(new URL(endpoint))
  } catch {
    return undefined
  }
}

const PROXY_HINT =
  "Check the runner's proxy settings: HTTPS_PROXY / HTTP_PROXY name the proxy, NO_PROXY the hosts reached directly (e.g. NO_PROXY=.amazonaws.com when the runner reaches AWS without it)."

/**
 * Turns an AWS SDK failure into the message a user can act on: what happened, where (endpoint, region, proxy) and the
 * IAM action. The service's own text is kept verbatim; the SDK's internals are not shown. A UserError (e.g. a proxy
 * variable that is not a URL) is already described and passes through.
 */
export function describeAwsError(error: unknown, context: AwsCallContext): UserError {
  if (error instanceof UserError) return error
  const e = (error ?? {}) as AwsLikeError
  const name = e.name ?? 'Error'
  const message = e.message ?? String(error)
  const attempts = e.$metadata?.attempts
  const tried = attempts && attempts > 1 ? ` after ${attempts} attempts` : ''
  const route = routeOf(context.endpoint)
  const via = route ? ` through the proxy ${describeProxy(route)}` : ''

  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(context.endpoint)) return invalidEndpoint(context)
  const odd = nonAwsAnswer(e)
  if (odd) {
    const what = [odd.status ? `HTTP ${odd.status}` : undefined, odd.contentType || 'no content type']
      .filter(Boolean)
      .join(', ')
    return new AwsCallError(
      `${context.action} got a non-AWS answer from ${context.endpoint}${via} (${what})${tried}: a proxy or a captive portal answering instead of AWS?`,
      `${PROXY_HINT} Also check AWS_ENDPOINT_URL if you set one.`
    )
  }

  const tunnel = /tunneling socket could not be established, (?:statusCode=(\d+)|cause=(.*))/.exec(message)
  if (tunnel && route) {
    const [, status, cause] = tunnel
    const what = status
      ? `refused to open a tunnel to ${context.endpoint} (HTTP ${status}${status === '407' ? ': it wants credentials, as http://user:password@host:port' : ''})`
      : `could not be used (${cause?.trim()})`
    return new AwsCallError(
      `The proxy ${describeProxy(route)} ${what} for ${context.action} (region ${context.region})${tried}.`,
      PROXY_HINT
    )
  }

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
      `Add aws-actions/configure-aws-credentials before this step (with \`permissions: id-token: write\` for OIDC).${context.credentialsHint ? ` ${context.credentialsHint}` : ''}`
    )
  }
  if (/UnrecognizedClient|InvalidSignature|ExpiredToken|InvalidClientTokenId/i.test(name)) {
    return new AwsCallError(
      `AWS rejected the credentials for ${context.action} (${name}): ${message}`,
      'The credentials are invalid or expired; check the configure-aws-credentials step and the role session duration.'
    )
  }
  if (/Region not accepted|not a valid hostname component/i.test(message)) {
    return new AwsCallError(
      `"${context.region}" is not an AWS region, so ${context.action} cannot be called.`,
      'Set AWS_REGION (aws-actions/configure-aws-credentials: aws-region) to a region code such as eu-west-1.'
    )
  }
  const code = e.code ?? /\b(E[A-Z]{4,})\b/.exec(message)?.[1]
  if (code === 'ERR_INVALID_URL') return invalidEndpoint(context)
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'ETIMEDOUT') {
    const { attemptTimeoutMs, totalTimeoutMs } = AWS_TIMEOUTS
    return new AwsCallError(
      `${context.endpoint} (region ${context.region})${via} did not answer ${context.action} in time${tried}.`,
      `Each attempt may take ${attemptTimeoutMs / 1000} s and the whole call ${totalTimeoutMs / 1000} s, answer included; the call was stopped instead of waiting. AWS may be unreachable from this runner (proxy, firewall, VPC endpoint) or slow: check the network${route ? ', the proxy' : ''} and AWS_REGION.${context.cutOffHint ? ` ${context.cutOffHint}` : ' Then retry.'}`
    )
  }
  if (code && NETWORK_CODES.includes(code)) {
    return new AwsCallError(
      `Could not reach ${context.endpoint} (region ${context.region})${via} for ${context.action}: ${code}.`,
      `Check AWS_REGION (and AWS_ENDPOINT_URL if you set one) and that the runner can reach AWS${route ? ` through the proxy; ${PROXY_HINT}` : '.'}`
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
  if (!e.$metadata && !e.$response) {
    // No HTTP answer and no service error: the SDK stopped before sending (its configuration on this runner).
    return new AwsCallError(
      `${context.action} could not be sent to ${context.endpoint} (${name}): ${message}`,
      'The AWS SDK refused its configuration on this runner: check the AWS_* variables (AWS_REGION, AWS_ENDPOINT_URL, AWS_PROFILE …) and ~/.aws/config.'
    )
  }
  return new AwsCallError(`AWS rejected ${context.action} (${name}): ${message}`, context.rejectionHint)
}

/** An AWS_ENDPOINT_URL override that is not a URL (the SDK may even have sent something somewhere). */
function invalidEndpoint(context: AwsCallContext): AwsCallError {
  return new AwsCallError(
    `The AWS endpoint ${context.endpoint} is not a URL, so ${context.action} cannot be called.`,
    'Fix or unset AWS_ENDPOINT_URL (and the AWS_ENDPOINT_URL_<SERVICE> variables): an override must look like https://host:port.'
  )
}

/** The endpoint a client talks to, for error messages: the override the SDK honours, else the public one. */
export function endpointFor(
  service: 'ecs' | 'ssm' | 'secretsmanager' | 'logs' | 'sts',
  region: string,
  env: NodeJS.ProcessEnv = process.env
): string {
  const specific = {
    ecs: 'AWS_ENDPOINT_URL_ECS',
    ssm: 'AWS_ENDPOINT_URL_SSM',
    secretsmanager: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
    logs: 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
    sts: 'AWS_ENDPOINT_URL_STS'
  }[service]
  return env[specific] || env.AWS_ENDPOINT_URL || `https://${service}.${region}.amazonaws.com`
}
