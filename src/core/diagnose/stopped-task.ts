import { DEFAULT_LOG_ROUTER_IMAGE } from '../images.js'
import { quoteOf, type Finding } from '../checks/finding.js'
import type { ContainerFacts, TaskFacts } from '../checks/task-facts.js'
import { CONFIG_CONTAINER } from '../patch/router-config-container.js'
import { ROUTER_HEALTH_CHECK_COMMAND, ROUTER_HTTP_PORT } from '../router/router-config.js'

/** What the task definition says about the roles and the router, to name them in a fix. */
export interface StoppedTaskContext {
  executionRoleArn?: string
  /** The container with firelensConfiguration. */
  routerContainer?: string
}

// Stop codes of tasks that failed, as opposed to tasks stopped by a deployment, a scale-in, a user or Spot.
const FAILED_STOP_CODES = new Set(['TaskFailedToStart', 'EssentialContainerExited'])

/** Whether a stopped task failed (and so says something about this revision), or was stopped on purpose. */
export function isFailedStop(task: TaskFacts): boolean {
  if (task.desiredStatus !== 'STOPPED' && task.lastStatus !== 'STOPPED') return false
  if (task.stopCode && FAILED_STOP_CODES.has(task.stopCode)) return true
  const reasons = [task.stoppedReason ?? '', ...task.containers.map(c => c.reason ?? '')].join('\n')
  if (/health check/i.test(reasons)) return true
  if (task.stopCode) return false
  return /error|exited|unable to|cannot|denied|failed/i.test(reasons)
}

// `User: arn:aws:sts::111122223333:assumed-role/ecsTaskExecutionRole/abc is not authorized to perform:
// ssm:GetParameters on resource: arn:aws:ssm:…:parameter/prod/KEY because no identity-based policy allows …`
const NOT_AUTHORIZED =
  /User: (\S+) is not authorized to perform: (\S+?)(?: on resource: (\S+?))?(?:\s+because|\s+with|\s+status code|,|$)/i

/**
 * Why a task of this revision stopped, each reason mapped to a fix: the task's stoppedReason and its containers'
 * reasons and exit codes. The router's own lines, when it exited, are added by the caller (router-log findings).
 */
export function stoppedTaskFindings(task: TaskFacts, context: StoppedTaskContext): Finding[] {
  const findings: Finding[] = []
  const reason = task.stoppedReason ?? ''
  const reasonFinding = findingForReason(reason, task, context)
  if (reasonFinding) findings.push(reasonFinding)

  // The action's config container and the router's health check (`multiline`, `wait-for-router` …): a failure
  // there stops the task before any application line is written.
  const routerStart = routerStartFindings(task, context)
  const routerUnhealthy = routerStart.some(f => f.kind === 'router-unhealthy')
  // ECS's "failed container health checks" is the router's here, not the application's.
  if (routerUnhealthy) findings.splice(0, findings.length, ...findings.filter(f => f.kind !== 'health-check-failed'))
  findings.unshift(...routerStart)

  const exited: ContainerFacts[] = []
  for (const container of task.containers) {
    if (container.name === CONFIG_CONTAINER) continue
    const fromContainer =
      container.reason && !(routerUnhealthy && container.name === context.routerContainer)
        ? findingForReason(container.reason, task, context, container)
        : undefined
    if (fromContainer && !findings.some(f => f.kind === fromContainer.kind)) findings.push(fromContainer)
    if (!fromContainer && container.exitCode !== undefined && container.exitCode !== 0) exited.push(container)
  }
  // When an essential container exits, ECS stops the others (SIGTERM, then SIGKILL): their 143 and 137 are the
  // consequence, not the cause, unless nothing else exited.
  const causes = exited.filter(c => c.exitCode !== 137 && c.exitCode !== 143)
  for (const container of causes.length > 0 ? causes : exited) {
    const isRouter = container.name === context.routerContainer
    findings.push(
      isRouter
        ? {
            severity: 'error',
            kind: 'router-exited',
            message: `The log router (${container.name}) exited with code ${container.exitCode}, and with it the task (the router is essential).`,
            fix: 'Its last lines below say why; exit code 255 right after start is usually an option the router does not accept. Without a router log, add one (`log-router-log-group` in the main action) to see them.',
            quote: quoteOf(
              `${container.name}: exit code ${container.exitCode}${container.reason ? `, ${container.reason}` : ''}`
            )
          }
        : {
            severity: 'error',
            kind: 'container-exited',
            message: `Container ${container.name} exited with code ${container.exitCode}, which stopped the task.`,
            fix: `That is the application, not the log delivery: its own logs (or \`docker run\` of the image) say why. No task ran long enough to verify the logs.`,
            quote: quoteOf(`${container.name}: exit code ${container.exitCode}`)
          }
    )
  }
  if (findings.length === 0) {
    findings.push({
      severity: 'error',
      kind: 'stopped',
      message: `Task ${task.id} stopped${task.stopCode ? ` (${task.stopCode})` : ''}.`,
      fix: "ECS's reason is quoted above; the service's events (aws ecs describe-services) may say more.",
      quote: quoteOf(reason || '(ECS gave no reason)')
    })
  }
  return findings
}

function routerStartFindings(task: TaskFacts, context: StoppedTaskContext): Finding[] {
  const findings: Finding[] = []
  const router = context.routerContainer ?? 'the log router'
  const config = task.containers.find(c => c.name === CONFIG_CONTAINER)
  if (config && ((config.exitCode !== undefined && config.exitCode !== 0) || (config.reason ?? '') !== '')) {
    findings.push({
      severity: 'error',
      kind: 'router-config-failed',
      message: `The container that writes the log router's configuration (${CONFIG_CONTAINER}) ${config.exitCode !== undefined ? `exited with code ${config.exitCode}` : 'did not run'}, so ${router}, which waits for it to succeed (dependsOn SUCCESS), never started, and neither did the routed containers.`,
      fix: `It runs /bin/sh and printf from the router's image: that image needs a shell (aws-for-fluent-bit has one; the distroless fluent/fluent-bit does not). Its log, beside the router's when the router logs to CloudWatch (\`log-router-log-group\`), says why; re-run the main action to rewrite it, or turn \`multiline\`, \`wait-for-router\` and \`log-router-grace\` off.`,
      quote: quoteOf(
        `${CONFIG_CONTAINER}: ${[config.exitCode !== undefined ? `exit code ${config.exitCode}` : '', config.reason ?? ''].filter(Boolean).join(', ')}`
      )
    })
  }
  const routerFacts = task.containers.find(c => c.name === context.routerContainer)
  const unhealthy = routerFacts?.healthStatus === 'UNHEALTHY' || /health ?check/i.test(routerFacts?.reason ?? '')
  if (routerFacts && unhealthy) {
    findings.push({
      severity: 'error',
      kind: 'router-unhealthy',
      message: `The log router (${routerFacts.name}) failed its health check (${ROUTER_HEALTH_CHECK_COMMAND[1]}), so the routed containers, which start only once it is HEALTHY, did not start or the task was stopped.`,
      fix: `Fluent Bit did not answer on 127.0.0.1:${ROUTER_HTTP_PORT}: its own log says why (a configuration error, or another container on port ${ROUTER_HTTP_PORT}). Turn \`wait-for-router\` off to start the applications without waiting.`,
      quote: quoteOf(
        `${routerFacts.name}: health ${routerFacts.healthStatus ?? 'check failed'}${routerFacts.reason ? `, ${routerFacts.reason}` : ''}`
      )
    })
  }
  return findings
}

function findingForReason(
  reason: string,
  task: TaskFacts,
  context: StoppedTaskContext,
  container?: ContainerFacts
): Finding | undefined {
  if (!reason.trim()) return undefined
  const quote = quoteOf(container ? `${container.name}: ${reason}` : reason)
  const executionRole = context.executionRoleArn ?? 'the task execution role (executionRoleArn)'
  const network = /context deadline exceeded|i\/o timeout|dial tcp|RequestCanceled|network configuration|no such host/i

  if (/unable to pull secrets or registry auth|failed to fetch secret|unable to retrieve secret/i.test(reason)) {
    const denied = NOT_AUTHORIZED.exec(reason)
    if (denied) {
      const [, principal, action, resource] = denied
      const role = roleOf(principal!, context.executionRoleArn)
      const kms = /^(ssm:GetParameters?|secretsmanager:GetSecretValue)$/i.test(action!)
        ? ' (and kms:Decrypt on the KMS key, if the secret uses a customer-managed key)'
        : ''
      return {
        severity: 'error',
        kind: 'secrets-access-denied',
        message: `The task could not start: its execution role ${role} may not call ${action}${resource ? ` on ${resource}` : ''}, so ECS could not read the secrets (the Datadog API key among them).`,
        fix: `Grant ${action}${resource ? ` on ${resource}` : ''} to the task execution role ${role}${kms}. ECS reads secrets with the execution role when a task starts, not with the workflow's role.`,
        quote
      }
    }
    if (/kms/i.test(reason)) {
      return {
        severity: 'error',
        kind: 'secrets-kms-denied',
        message: `The task could not start: its execution role ${executionRole} may not decrypt a secret (KMS).`,
        fix: `Grant kms:Decrypt on the secret's customer-managed KMS key to ${executionRole} (in its IAM policy, and allowed by the key policy).`,
        quote
      }
    }
    const missingParameter = /invalid ssm parameters?:?\s*([^\s,]+)/i.exec(reason) ?? /ParameterNotFound/i.exec(reason)
    if (missingParameter) {
      const name = missingParameter[1]
      return {
        severity: 'error',
        kind: 'secret-missing',
        message: `The task could not start: the SSM parameter ${name ?? 'of a secret'} does not exist where ECS looked for it.`,
        fix: "Create the parameter, or fix the valueFrom: a name is looked up in the task's region; a parameter in another region needs its full ARN.",
        quote
      }
    }
    if (/ResourceNotFoundException|can't find the specified secret/i.test(reason)) {
      return {
        severity: 'error',
        kind: 'secret-missing',
        message: 'The task could not start: a Secrets Manager secret it references does not exist.',
        fix: "Check the valueFrom ARN (copy it from the secret's page, with its 6-character suffix) and the secret's region.",
        quote
      }
    }
    if (network.test(reason)) return networkFinding('SSM or Secrets Manager', quote)
    return {
      severity: 'error',
      kind: 'secrets-unreadable',
      message: `The task could not start: ECS could not read its secrets or registry credentials with the execution role ${executionRole}.`,
      fix: `Give ${executionRole} ssm:GetParameters or secretsmanager:GetSecretValue on the secrets (kms:Decrypt for a customer-managed key); ECS's reason is quoted above.`,
      quote
    }
  }

  if (/CannotPullContainerError|pull image|pull access denied/i.test(reason)) {
    const image =
      /failed to resolve ref "?([^\s":]+(?::[^\s":@]+)?(?:@sha256:[0-9a-f]+)?)"?/i.exec(reason)?.[1] ??
      /pull access denied for ([^\s,]+)/i.exec(reason)?.[1] ??
      container?.image
    const which = image ? `the image ${image}` : 'an image'
    if (/toomanyrequests|rate limit/i.test(reason)) {
      return {
        severity: 'error',
        kind: 'image-rate-limited',
        message: `ECS could not pull ${which}: the registry rate-limited the pull.`,
        fix: 'Pull from public.ecr.aws (the router and agent images are there) or authenticate to Docker Hub with repositoryCredentials.',
        quote
      }
    }
    if (/403|denied|unauthori[sz]ed|forbidden|AccessDenied/i.test(reason)) {
      return {
        severity: 'error',
        kind: 'image-access-denied',
        message: `ECS could not pull ${which}: access denied.`,
        fix: `For ECR, grant ${executionRole} ecr:GetAuthorizationToken, ecr:BatchGetImage and ecr:GetDownloadUrlForLayer (and check the repository policy for cross-account pulls); a private registry needs repositoryCredentials.`,
        quote
      }
    }
    if (/not found|manifest unknown|does not exist/i.test(reason)) {
      return {
        severity: 'error',
        kind: 'image-not-found',
        message: `ECS could not pull ${which}: no such image or tag.`,
        fix: `Fix the image reference (for the router: \`log-router-image\`, e.g. ${DEFAULT_LOG_ROUTER_IMAGE}; for the agent: \`agent-image\`).`,
        quote
      }
    }
    if (network.test(reason)) return networkFinding('the image registry', quote)
    return {
      severity: 'error',
      kind: 'image-pull-failed',
      message: `ECS could not pull ${which}.`,
      fix: "ECS's reason is quoted above: check the image reference, the registry's permissions and the task's network.",
      quote
    }
  }

  if (/failed to validate logger args|log group does not exist|CreateLogStream|CreateLogGroup/i.test(reason)) {
    const denied = NOT_AUTHORIZED.exec(reason)
    return {
      severity: 'error',
      kind: 'awslogs-failed',
      message: denied
        ? `A container's awslogs driver could not write to CloudWatch Logs: ${roleOf(denied[1]!, context.executionRoleArn)} may not call ${denied[2]}.`
        : "A container's awslogs driver could not write to CloudWatch Logs: its log group does not exist.",
      fix: denied
        ? `Grant ${denied[2]} to the task execution role ${roleOf(denied[1]!, context.executionRoleArn)}.`
        : 'Create the log group (aws logs create-log-group --log-group-name <group>), or set the option awslogs-create-group: "true" and grant logs:CreateLogGroup to the execution role.',
      quote
    }
  }

  const denied = NOT_AUTHORIZED.exec(reason)
  if (denied) {
    const [, principal, action, resource] = denied
    const role = roleOf(principal!, context.executionRoleArn)
    return {
      severity: 'error',
      kind: 'access-denied',
      message: `${role} may not call ${action}${resource ? ` on ${resource}` : ''}, so the task could not start.`,
      fix: `Grant ${action}${resource ? ` on ${resource}` : ''} to ${role}.`,
      quote
    }
  }

  if (/OutOfMemory|out of memory|OOM/i.test(reason)) {
    const isRouter = container?.name === context.routerContainer
    return {
      severity: 'error',
      kind: isRouter ? 'router-out-of-memory' : 'out-of-memory',
      message: `${container ? `Container ${container.name}` : 'A container'} was killed for using more memory than it may.`,
      fix: isRouter
        ? 'Give the log router more memory (`log-router-memory` in the main action, or its memory/memoryReservation); Fluent Bit buffers logs in memory while the intake is slow or refusing them.'
        : "Raise that container's memory (or the task's), or find what makes it grow.",
      quote
    }
  }

  if (/health check/i.test(reason)) {
    return {
      severity: 'error',
      kind: 'health-check-failed',
      message: 'The task failed its health checks and was replaced.',
      fix: "That is the application or the load balancer's health check, not the log delivery; no task of this revision kept running.",
      quote
    }
  }

  if (network.test(reason)) return networkFinding('AWS', quote)

  // "Essential container in task exited" says nothing by itself: the containers' exit codes do.
  if (/Essential container in task exited/i.test(reason) && !container) return undefined
  if (
    /CannotStartContainerError|CannotCreateContainerError|ResourceInitializationError|TaskFailedToStart/i.test(reason)
  ) {
    return {
      severity: 'error',
      kind: 'task-failed-to-start',
      message: `Task ${task.id} failed to start.`,
      fix: "ECS's reason is quoted above.",
      quote
    }
  }
  return undefined
}

function networkFinding(what: string, quote: string): Finding {
  return {
    severity: 'error',
    kind: 'task-network',
    message: `The task could not reach ${what} while starting (a network timeout).`,
    fix: "Give the task's subnets a way out: a NAT gateway, or a public IP (assignPublicIp ENABLED in a public subnet), or VPC endpoints (ssm, secretsmanager, ecr.api, ecr.dkr, logs, and the S3 gateway); and allow outbound HTTPS (443) in its security group.",
    quote
  }
}

/** `arn:aws:sts::1:assumed-role/ecsTaskExecutionRole/abc` → the execution role's ARN when the names agree, else the role name. */
function roleOf(principal: string, executionRoleArn: string | undefined): string {
  const name = /:assumed-role\/([^/]+)\//.exec(principal)?.[1] ?? /:role\/(?:.*\/)?([^/]+)$/.exec(principal)?.[1]
  if (!name) return principal
  if (executionRoleArn && executionRoleArn.split('/').pop() === name) return executionRoleArn
  return name
}
