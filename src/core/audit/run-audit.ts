import { AwsCallError, UserError } from '../errors.js'
import type { TaskDefinition } from '../definition/task-definition.js'
import { routerLogFindings } from '../diagnose/router-log.js'
import { formatDuration } from '../duration.js'
import type { Site } from '../sites.js'
import { revisionFacts, type RevisionFacts } from '../verify/revision-facts.js'
import { bySeverity, worst, type AuditFinding, type Status } from './audit-finding.js'
import { globMatcher, mapBounded } from './bounded.js'
import { definitionFindings, revisionOf } from './definition-findings.js'
import { fixPlan, type FixPlan } from './fix-plan.js'

/** What to audit, validated (src/core/inputs/audit-inputs.ts reads it from the inputs or flags). */
export interface AuditConfig {
  region: string
  /** Names or ARNs; 'all': every cluster of the region (ListClusters). */
  clusters: 'all' | string[]
  site: Site
  /** Service name patterns (`*` wildcards); empty: every service. */
  services: string[]
  /** Read each service's router log this far back (ms); undefined: do not read router logs. */
  routerLogsMs?: number
  verifySecret: boolean
  verifyRoles: boolean
  fixPlan: boolean
  failOn: 'error' | 'warning' | 'never'
  /** The whole audit's deadline. */
  timeoutMs: number
}

/** A service as DescribeServices shows it. */
export interface ServiceFacts {
  name: string
  arn: string
  /** The PRIMARY deployment's task definition (ARN), else the service's own. */
  taskDefinition?: string
  /** Whether the revision came from the PRIMARY deployment. */
  fromPrimary: boolean
}

export type RouterLogAnswer =
  | { kind: 'lines'; lines: string[]; streams: number }
  /** No running task, so no stream to read. */
  | { kind: 'no-tasks' }
  | { kind: 'no-group'; group: string }
  /** The stream names cannot be known (awslogs without a stream prefix, EC2 only). */
  | { kind: 'unreadable'; reason: string }

/** The read-only look-ups the audit makes, backed by the AWS adapters (tests pass fakes). */
export interface AuditLookups {
  listClusters(): Promise<string[]>
  /** Service ARNs of a cluster, every page. */
  listServices(cluster: string): Promise<string[]>
  /** At most 10 services (DescribeServices' limit); `missing` are the ones ECS no longer knows. */
  describeServices(cluster: string, services: string[]): Promise<{ services: ServiceFacts[]; missing: string[] }>
  describeTaskDefinition(arn: string): Promise<TaskDefinition>
  /** The router's own log of the service's running tasks since `sinceMs`. */
  routerLog(request: {
    cluster: string
    service: string
    facts: RevisionFacts
    sinceMs: number
  }): Promise<RouterLogAnswer>
  /** verify-secret and verify-roles on one revision (only called when asked). */
  revisionChecks(taskDefinition: TaskDefinition, checks: { secret: boolean; roles: boolean }): Promise<AuditFinding[]>
}

/** A look-up that found nothing: an unknown cluster, a revision ECS cannot describe. */
export class NotFound extends UserError {}

export interface ServiceReport {
  name: string
  arn: string
  /** The revision's ARN, when known. */
  taskDefinition?: string
  /** `family:revision`, when known. */
  revision?: string
  status: Status | 'not-audited'
  findings: AuditFinding[]
  routerLog?: { read: true; streams: number; lines: number } | { read: false; reason: string }
}

export interface ClusterReport {
  name: string
  arn?: string
  status: Status | 'not-audited'
  /** About the cluster itself: unknown, denied, cut off by the deadline. */
  findings: AuditFinding[]
  services: ServiceReport[]
}

export interface AuditReport {
  region: string
  site: string
  complete: boolean
  /** What the audit did not see, in words (empty when complete). */
  notSeen: string[]
  /** About the region: ListClusters refused. */
  findings: AuditFinding[]
  clusters: ClusterReport[]
  /** Per distinct revision, when `fix-plan` was asked. */
  fixPlans?: { taskDefinition: string; revision: string; plan: FixPlan }[]
  totals: { clusters: number; services: number; revisions: number; errors: number; warnings: number }
  failed: boolean
  elapsedMs: number
}

/** Counters the shell prints as progress. */
export interface AuditProgress {
  clusters: number
  clustersListed: number
  services: number
  revisions: number
  revisionsDescribed: number
  routerLogs: number
  routerLogsRead: number
}

export interface AuditRun {
  lookups: AuditLookups
  /** Aborted at the deadline: what is not done by then is reported as not seen. */
  signal: AbortSignal
  now: () => number
  progress: (state: Readonly<AuditProgress>, line?: string) => void
}

// Enough to keep the client-side rate busy (the adapters pace every call), few enough not to pile up retries.
const CONCURRENCY = 8

const clusterNameOf = (value: string): string => /:cluster\/(.+)$/.exec(value)?.[1] ?? value
const serviceNameOf = (value: string): string => value.slice(value.lastIndexOf('/') + 1)

/** Why a look-up failed, as a finding; the deadline and bugs are not findings. */
function failureFinding(error: unknown, kind: string, what: string): AuditFinding {
  if (!(error instanceof UserError)) throw error
  const denied = error instanceof AwsCallError && error.accessDenied
  return {
    severity: 'error',
    kind: denied ? 'access-denied' : error instanceof NotFound ? kind : 'aws-error',
    message: `${what}: ${error.message}`,
    fix: error.hint ?? 'Retry the audit.'
  }
}

/**
 * The fleet audit: clusters → services (DescribeServices 10 at a time) → each distinct revision described once →
 * findings from the definition, optionally the router logs, the role and secret checks and the fix plan. Read-only.
 * Whatever fails (a cluster, a revision) is a finding where it failed, and the rest goes on.
 */
export async function runAudit(config: AuditConfig, run: AuditRun): Promise<AuditReport> {
  const { lookups, signal } = run
  const started = run.now()
  const state: AuditProgress = {
    clusters: 0,
    clustersListed: 0,
    services: 0,
    revisions: 0,
    revisionsDescribed: 0,
    routerLogs: 0,
    routerLogsRead: 0
  }
  const notSeen: string[] = []
  const regionFindings: AuditFinding[] = []
  const deadline = (): AuditFinding => ({
    severity: 'error',
    kind: 'deadline',
    message: `The audit's deadline (${formatDuration(config.timeoutMs)}) came first: this was not seen.`,
    fix: 'Raise `timeout`, or audit fewer clusters per run (`clusters`, `services`).'
  })
  /** A look-up, or the finding that says why there is no answer (deadline first: a call it cut short failed). */
  const attempt = async <T>(
    call: () => Promise<T>,
    kind: string,
    what: string
  ): Promise<{ ok: true; value: T } | { ok: false; finding: AuditFinding }> => {
    if (signal.aborted) return { ok: false, finding: deadline() }
    try {
      return { ok: true, value: await call() }
    } catch (error) {
      if (signal.aborted) return { ok: false, finding: deadline() }
      return { ok: false, finding: failureFinding(error, kind, what) }
    }
  }

  // 1. Clusters.
  let clusterRefs: string[]
  if (config.clusters === 'all') {
    const listed = await attempt(() => lookups.listClusters(), 'no-clusters', `ecs:ListClusters in ${config.region}`)
    if (!listed.ok) {
      regionFindings.push(listed.finding)
      notSeen.push(`every cluster of ${config.region} (the clusters could not be listed)`)
      clusterRefs = []
    } else clusterRefs = listed.value
  } else clusterRefs = config.clusters
  state.clusters = clusterRefs.length
  run.progress(
    state,
    `Auditing ${clusterRefs.length} cluster${clusterRefs.length === 1 ? '' : 's'} in ${config.region} for ${config.site.code}.`
  )

  // 2. Services of each cluster, and their revisions.
  const wanted = globMatcher(config.services)
  const clusters: ClusterReport[] = await mapBounded(clusterRefs, CONCURRENCY, async ref => {
    const name = clusterNameOf(ref)
    const report: ClusterReport = {
      name,
      ...(ref.startsWith('arn:') ? { arn: ref } : {}),
      status: 'ok',
      findings: [],
      services: []
    }
    const listed = await attempt(() => lookups.listServices(ref), 'unknown-cluster', `Cluster ${name}`)
    state.clustersListed++
    if (!listed.ok) {
      report.findings.push(listed.finding)
      notSeen.push(`cluster ${name} (${listed.finding.kind})`)
      return report
    }
    const arns = listed.value.filter(arn => wanted(serviceNameOf(arn)))
    state.services += arns.length
    const batches: string[][] = []
    for (let i = 0; i < arns.length; i += 10) batches.push(arns.slice(i, i + 10))
    const described = await mapBounded(batches, CONCURRENCY, async batch => {
      const answer = await attempt(() => lookups.describeServices(ref, batch), 'unknown-cluster', `Cluster ${name}`)
      return { batch, answer }
    })
    for (const { batch, answer } of described) {
      if (!answer.ok) {
        for (const arn of batch) {
          report.services.push({ name: serviceNameOf(arn), arn, status: 'not-audited', findings: [answer.finding] })
        }
        notSeen.push(`${batch.length} service${batch.length === 1 ? '' : 's'} of ${name} (${answer.finding.kind})`)
        continue
      }
      for (const service of answer.value.services) {
        const findings: AuditFinding[] = []
        if (!service.fromPrimary && service.taskDefinition) {
          findings.push({
            severity: 'warning',
            kind: 'no-primary-deployment',
            message: `${service.name} has no PRIMARY deployment (an external or CodeDeploy controller?); the audit read the service's own task definition.`,
            fix: 'Check the task sets of the service for other revisions.'
          })
        }
        report.services.push({
          name: service.name,
          arn: service.arn,
          ...(service.taskDefinition ? { taskDefinition: service.taskDefinition } : {}),
          status: 'ok',
          findings
        })
      }
    }
    report.services.sort((a, b) => a.name.localeCompare(b.name))
    run.progress(state)
    return report
  })

  // 3. Each distinct revision, described once.
  const revisionArns = [
    ...new Set(clusters.flatMap(c => c.services.flatMap(s => (s.taskDefinition ? [s.taskDefinition] : []))))
  ]
  state.revisions = revisionArns.length
  run.progress(
    state,
    `${state.services} service${state.services === 1 ? '' : 's'} run ${revisionArns.length} distinct revision${revisionArns.length === 1 ? '' : 's'}.`
  )
  interface Revision {
    label?: string
    findings: AuditFinding[]
    facts?: RevisionFacts
    plan?: FixPlan
    described: boolean
  }
  const revisions = new Map<string, Revision>()
  await mapBounded(revisionArns, CONCURRENCY, async arn => {
    const answer = await attempt(
      () => lookups.describeTaskDefinition(arn),
      'revision-not-described',
      `The revision ${arn}`
    )
    state.revisionsDescribed++
    if (!answer.ok) {
      revisions.set(arn, { findings: [answer.finding], described: false })
      return
    }
    const td = answer.value
    const label = revisionOf(td)
    const findings = definitionFindings(td, config.site)
    let facts: RevisionFacts | undefined
    try {
      facts = revisionFacts(td, config.region)
    } catch {
      // No router: definitionFindings said so.
    }
    if (config.verifySecret || config.verifyRoles) {
      const checked = await attempt(
        () => lookups.revisionChecks(td, { secret: config.verifySecret, roles: config.verifyRoles }),
        'check-failed',
        `The checks of ${label}`
      )
      findings.push(...(checked.ok ? checked.value : [checked.finding]))
    }
    revisions.set(arn, {
      label,
      findings: bySeverity(findings),
      ...(facts ? { facts } : {}),
      ...(config.fixPlan ? { plan: fixPlan(td, config.site, config.region) } : {}),
      described: true
    })
  })

  // 4. Each service: its revision's findings, then its router log when asked.
  const services = clusters.flatMap(c => c.services.map(service => ({ cluster: c, service })))
  for (const { service } of services) {
    const revision = service.taskDefinition ? revisions.get(service.taskDefinition) : undefined
    if (service.status === 'not-audited') continue
    if (!service.taskDefinition) {
      service.findings.push({
        severity: 'warning',
        kind: 'no-revision',
        message: `${service.name} names no task definition (no deployment), so there is nothing to audit.`,
        fix: 'Check the service in the ECS console.'
      })
      continue
    }
    if (!revision) continue
    if (revision.label) service.revision = revision.label
    service.findings.push(...revision.findings)
    if (!revision.described) {
      service.status = 'not-audited'
      notSeen.push(`service ${service.name}: its revision ${service.taskDefinition} could not be described`)
    }
  }
  if (config.routerLogsMs !== undefined) {
    const readable = services.filter(({ service }) => {
      const facts = service.taskDefinition ? revisions.get(service.taskDefinition)?.facts : undefined
      if (facts?.router.log.kind === 'cloudwatch') return true
      if (service.status !== 'not-audited') {
        service.routerLog = { read: false, reason: facts ? 'the router does not log to CloudWatch' : 'no log router' }
      }
      return false
    })
    state.routerLogs = readable.length
    const since = run.now() - config.routerLogsMs
    await mapBounded(readable, CONCURRENCY, async ({ cluster, service }) => {
      const facts = revisions.get(service.taskDefinition!)!.facts!
      const answer = await attempt(
        () => lookups.routerLog({ cluster: cluster.arn ?? cluster.name, service: service.name, facts, sinceMs: since }),
        'router-log-unread',
        `The router log of ${service.name}`
      )
      state.routerLogsRead++
      if (!answer.ok) {
        service.findings.push(answer.finding)
        service.routerLog = { read: false, reason: answer.finding.kind }
        notSeen.push(`the router log of ${service.name} (${answer.finding.kind})`)
        return
      }
      const read = answer.value
      if (read.kind === 'no-tasks' || read.kind === 'unreadable') {
        service.routerLog = { read: false, reason: read.kind === 'no-tasks' ? 'no running task' : read.reason }
        return
      }
      if (read.kind === 'no-group') {
        service.routerLog = { read: false, reason: `log group ${read.group} does not exist` }
        service.findings.push({
          severity: 'warning',
          kind: 'router-log-missing',
          container: facts.router.container,
          message: `The router's log group ${read.group} does not exist, so its delivery errors are lost.`,
          fix: 'Create the log group (or let the main action set `log-router-log-group`), and grant logs:CreateLogStream and logs:PutLogEvents to the task execution role.'
        })
        return
      }
      service.routerLog = { read: true, streams: read.streams, lines: read.lines.length }
      for (const finding of routerLogFindings(read.lines, config.site)) {
        service.findings.push({ ...finding, container: facts.router.container })
      }
    })
  }

  // 5. Statuses and totals.
  let errors = 0
  let warnings = 0
  const count = (findings: readonly AuditFinding[]): void => {
    for (const f of findings) {
      if (f.severity === 'error') errors++
      else warnings++
    }
  }
  count(regionFindings)
  for (const cluster of clusters) {
    count(cluster.findings)
    for (const service of cluster.services) {
      service.findings = bySeverity(service.findings)
      count(service.findings)
      if (service.status !== 'not-audited') service.status = worst(service.findings)
    }
    cluster.status =
      cluster.findings.length > 0 && cluster.services.length === 0
        ? 'not-audited'
        : worst([...cluster.findings, ...cluster.services.flatMap(s => s.findings)])
  }
  const failed = config.failOn === 'error' ? errors > 0 : config.failOn === 'warning' ? errors + warnings > 0 : false
  const fixPlans = config.fixPlan
    ? revisionArns.flatMap(arn => {
        const r = revisions.get(arn)
        return r?.plan && r.label ? [{ taskDefinition: arn, revision: r.label, plan: r.plan }] : []
      })
    : undefined
  return {
    region: config.region,
    site: config.site.code,
    complete: notSeen.length === 0,
    notSeen,
    findings: regionFindings,
    clusters,
    ...(fixPlans ? { fixPlans } : {}),
    totals: {
      clusters: clusters.length,
      services: services.length,
      revisions: revisionArns.length,
      errors,
      warnings
    },
    failed,
    elapsedMs: run.now() - started
  }
}
