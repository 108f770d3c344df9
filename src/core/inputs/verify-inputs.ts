import { UserError } from '../errors.js'
import { parseSecretRef, type SecretRef } from '../secret-ref.js'
import { resolveSite, type Site } from '../sites.js'
import { formatDuration, parseDuration } from '../duration.js'

/** The verify action's inputs, validated. The only place that knows their names. */
export interface VerifyConfig {
  region: string
  cluster: string
  service?: string
  /** A task definition ARN, `family:revision` or `family`; default: the service's primary deployment. */
  taskDefinition?: string
  site: Site
  apiKeySecret?: SecretRef
  applicationKeySecret?: SecretRef
  timeoutMs: number
  settleMs: number
}

const DEFAULT_TIMEOUT = '5m'
const DEFAULT_SETTLE = '60s'

// Datadog API keys are 32 hex characters, application keys 40.
const KEY_LIKE = /^(?:[0-9a-f]{32}|[0-9a-f]{40})$/i

/** A secret input holding a key itself (not its reference): the shell masks it before anything can print it. */
export function looksLikeKey(value: string): boolean {
  return KEY_LIKE.test(value.trim())
}

/**
 * Whether a secret input must be masked before anything can print it: anything that is not a secret reference (a key,
 * or a key inside other text such as `team:<key>`), as the main action does.
 */
export function secretInputNeedsMask(value: string): boolean {
  const trimmed = value.trim()
  return trimmed !== '' && !('kind' in parseSecretRef(trimmed))
}

const NAME = /^[A-Za-z0-9_-]{1,255}$/
const CLUSTER_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9_-]{1,255}$/
const SERVICE_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service\/(?:[A-Za-z0-9_-]{1,255}\/)?[A-Za-z0-9_-]{1,255}$/
const TASK_DEFINITION_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+$/
const FAMILY_REVISION = /^[A-Za-z0-9_-]{1,255}(?::\d+)?$/

export function readVerifyConfig(getInput: (name: string) => string, env: NodeJS.ProcessEnv): VerifyConfig {
  const input = (name: string): string => getInput(name).trim()

  const cluster = input('cluster')
  if (cluster === '')
    throw new UserError('Input `cluster` is empty.', 'Set it to the ECS cluster of the service (its name or ARN).')
  if (!NAME.test(cluster) && !CLUSTER_ARN.test(cluster)) {
    throw new UserError(
      `Input \`cluster\` is "${cluster}", which is not an ECS cluster name or ARN.`,
      'A cluster name has up to 255 letters, digits, hyphens and underscores; an ARN looks like arn:aws:ecs:<region>:<account>:cluster/<name>.'
    )
  }

  const service = input('service')
  if (service !== '' && !NAME.test(service) && !SERVICE_ARN.test(service)) {
    throw new UserError(
      `Input \`service\` is "${service}", which is not an ECS service name or ARN.`,
      'A service name has up to 255 letters, digits, hyphens and underscores.'
    )
  }
  const taskDefinition = input('task-definition-arn')
  if (taskDefinition !== '' && !TASK_DEFINITION_ARN.test(taskDefinition) && !FAMILY_REVISION.test(taskDefinition)) {
    throw new UserError(
      `Input \`task-definition-arn\` is "${taskDefinition}", which is not a task definition ARN or family:revision.`,
      'Pass the `task-definition-arn` output of the main action (or of amazon-ecs-deploy-task-definition), e.g. arn:aws:ecs:<region>:<account>:task-definition/web:7, or web:7.'
    )
  }
  if (service === '' && taskDefinition === '') {
    throw new UserError(
      'Neither `service` nor `task-definition-arn` is set, so there is no task to verify.',
      "Set `service` (the revision is then the service's primary deployment), or `task-definition-arn`."
    )
  }

  const site = resolveSite(input('site'))
  const apiKeySecret = secretInput(input('api-key-secret'), 'api-key-secret', 'API key')
  const applicationKeySecret = secretInput(input('application-key-secret'), 'application-key-secret', 'application key')
  if (applicationKeySecret && !apiKeySecret) {
    throw new UserError(
      '`application-key-secret` is set but `api-key-secret` is not: the logs search needs both keys.',
      'Set `api-key-secret` to the SSM parameter or Secrets Manager secret of the Datadog API key (the one the task uses).'
    )
  }

  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION
  if (!region) {
    throw new UserError(
      'No AWS region is set, so the service cannot be looked up.',
      'Run aws-actions/configure-aws-credentials (with aws-region) before this step, or set AWS_REGION.'
    )
  }

  const timeoutMs = parseDuration(input('timeout') || DEFAULT_TIMEOUT, 'timeout')
  const settleMs = parseDuration(input('settle') || DEFAULT_SETTLE, 'settle', { allowZero: true })
  // A runner passes action.yml's default as if it were written: the default is not the user's choice.
  const settleSet = input('settle') !== '' && input('settle') !== DEFAULT_SETTLE
  // Without an application key a task must run `settle` within `timeout`; with one, settle is not used, so only a
  // settle the user wrote that contradicts the timeout is refused there.
  if (settleMs > timeoutMs && (!applicationKeySecret || settleSet)) {
    throw new UserError(
      `\`settle\` (${formatDuration(settleMs)}${settleSet ? '' : ', its default'}) is longer than \`timeout\` (${formatDuration(timeoutMs)}): ${applicationKeySecret ? 'the two contradict each other (settle is only used without `application-key-secret`)' : 'the step would always time out before a task could count as settled'}.`,
      applicationKeySecret
        ? 'Remove `settle` (the Datadog search is the check here), or make it shorter than `timeout`.'
        : `Raise \`timeout\` above ${formatDuration(settleMs)}, or lower \`settle\` below ${formatDuration(timeoutMs)}.`
    )
  }

  return {
    region,
    cluster,
    ...(service ? { service } : {}),
    ...(taskDefinition ? { taskDefinition } : {}),
    site,
    ...(apiKeySecret ? { apiKeySecret } : {}),
    ...(applicationKeySecret ? { applicationKeySecret } : {}),
    timeoutMs,
    settleMs
  }
}

function secretInput(value: string, name: string, what: string): SecretRef | undefined {
  if (value === '') return undefined
  if (looksLikeKey(value)) {
    throw new UserError(
      `Input \`${name}\` looks like a Datadog ${what} itself, not a reference to where it is stored. It was masked in this log; rotate it if it was committed anywhere.`,
      `Store the key in SSM Parameter Store (SecureString) or Secrets Manager and pass the parameter name or the secret ARN.`
    )
  }
  const ref = parseSecretRef(value)
  if ('problem' in ref) {
    throw new UserError(
      `Input \`${name}\` is neither an SSM parameter (name or ARN) nor a Secrets Manager secret ARN (its value is hidden, in case it holds a key).`,
      'e.g. /prod/DATADOG_APP_KEY, arn:aws:ssm:<region>:<account>:parameter/prod/DATADOG_APP_KEY, or arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf.'
    )
  }
  return ref
}
