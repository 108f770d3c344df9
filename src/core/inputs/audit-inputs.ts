import type { AuditConfig } from '../audit/run-audit.js'
import { parseDuration } from '../duration.js'
import { UserError } from '../errors.js'
import { resolveSite } from '../sites.js'
import { splitList } from '../tags.js'

/** Defaults of the audit's inputs, equal to audit/action.yml's (a test checks). */
export const AUDIT_INPUT_DEFAULTS = {
  clusters: 'all',
  'verify-secret': 'false',
  'verify-roles': 'false',
  'fix-plan': 'false',
  'fail-on': 'error',
  timeout: '10m'
} as const

const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,255}$/
const CLUSTER_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9_-]{1,255}$/
const SERVICE_PATTERN = /^[A-Za-z0-9_*-]{1,255}$/
const FAIL_ON = ['error', 'warning', 'never'] as const

/** The audit's inputs (action inputs or CLI flags of the same names), validated. The only place that knows them. */
export function readAuditConfig(getInput: (name: string) => string, env: NodeJS.ProcessEnv): AuditConfig {
  const input = (name: string): string =>
    getInput(name).trim() || ((AUDIT_INPUT_DEFAULTS as Record<string, string>)[name] ?? '')

  const listed = splitList(input('clusters'))
  let clusters: AuditConfig['clusters']
  if (listed.length === 0 || (listed.length === 1 && listed[0]!.toLowerCase() === 'all')) clusters = 'all'
  else {
    for (const cluster of listed) {
      if (cluster.toLowerCase() === 'all') {
        throw new UserError(
          'Input `clusters` lists `all` beside cluster names.',
          'Set `clusters: all` alone for every cluster of the region, or list the clusters.'
        )
      }
      if (!CLUSTER_NAME.test(cluster) && !CLUSTER_ARN.test(cluster)) {
        throw new UserError(
          `Input \`clusters\` lists "${cluster}", which is not an ECS cluster name or ARN.`,
          'A cluster name has up to 255 letters, digits, hyphens and underscores; an ARN looks like arn:aws:ecs:<region>:<account>:cluster/<name>. Separate clusters with commas or new lines, or write `all`.'
        )
      }
    }
    clusters = [...new Set(listed)]
  }

  const services = [...new Set(splitList(input('services')))]
  for (const pattern of services) {
    if (!SERVICE_PATTERN.test(pattern)) {
      throw new UserError(
        `Input \`services\` lists "${pattern}", which is not an ECS service name or a pattern of one.`,
        'A service name has letters, digits, hyphens and underscores; `*` matches any run of them (e.g. checkout-*).'
      )
    }
  }

  const site = resolveSite(input('site'))
  const routerLogs = input('router-logs')
  const failOn = input('fail-on').toLowerCase()
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    throw new UserError(
      `Input \`fail-on\` is "${input('fail-on')}", which is not one of ${FAIL_ON.join(', ')}.`,
      'error: fail when a finding is an error (the default); warning: also on warnings; never: report only.'
    )
  }
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim()
  if (!region) {
    throw new UserError(
      'No AWS region is set, so there is no fleet to audit.',
      'Run aws-actions/configure-aws-credentials (with aws-region) before this step, or set AWS_REGION.'
    )
  }
  return {
    region,
    clusters,
    site,
    services,
    ...(routerLogs ? { routerLogsMs: parseDuration(routerLogs, 'router-logs') } : {}),
    verifySecret: booleanInput(input, 'verify-secret'),
    verifyRoles: booleanInput(input, 'verify-roles'),
    fixPlan: booleanInput(input, 'fix-plan'),
    failOn: failOn as AuditConfig['failOn'],
    timeoutMs: parseDuration(input('timeout'), 'timeout')
  }
}

// The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts them.
function booleanInput(input: (name: string) => string, name: string): boolean {
  const value = input(name)
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new UserError(
    `Input \`${name}\` is ${JSON.stringify(value)}, which is not a boolean.`,
    `Set \`${name}\` to true or false.`
  )
}
