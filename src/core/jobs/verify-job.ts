import { apiBaseFromTemplate, validateApiKey, type Fetch } from '../checks/api-key-check.js'
import { formatFinding, type Finding } from '../checks/finding.js'
import type { TaskFacts } from '../checks/task-facts.js'
import { failedDeploymentFinding } from '../diagnose/deployment.js'
import { logsExplorerUrl } from '../datadog/logs-url.js'
import { formatDuration } from '../duration.js'
import { DeadlineReached, UserError } from '../errors.js'
import { readVerifyConfig, secretInputNeedsMask, type VerifyConfig } from '../inputs/verify-inputs.js'
import type { Logger } from '../logger.js'
import type { VerifySummaryInput } from '../report/verify-summary.js'
import type { SecretRef } from '../secret-ref.js'
import {
  intakeOfOtherSite,
  revisionFacts,
  revisionLabel,
  routerLogUnreadable,
  type RevisionFacts
} from '../verify/revision-facts.js'
import {
  pollPlan,
  searchQuery,
  watchDeployment,
  type Clock,
  type SearchAnswer,
  type WatchLookups,
  type WatchPlan,
  type WatchReport
} from '../verify/watch.js'
import type { ServiceFacts, VerifyAws } from './aws-ports.js'
import { startHeartbeat, type Heartbeat } from './heartbeat.js'
import { unexpectedError, type ExitCode, type Reporter } from './reporter.js'

// Calls in flight when the timeout comes get this long to finish before they are aborted.
const GRACE_MS = 1_000
// The search looks back this far before the first task's start (clock differences), and so does the link.
const LINK_SLACK_MS = 60_000

/** The verify run's inputs as plain data: the inputs by name (as verify/action.yml names them), the environment. */
export interface VerifyJobInput {
  /** An input by its verify/action.yml name; '' when not given. */
  input: (name: string) => string
  env: {
    AWS_REGION?: string
    AWS_DEFAULT_REGION?: string
    /** Tests point the Datadog calls at a loopback server: `{domain}` is replaced by the site's domain. */
    DATADOG_FIRELENS_API_URL_TEMPLATE?: string
  }
}

/** The Datadog logs search, one call (its fetch bound by the shell). */
export type SearchLogs = (request: {
  apiBase: string
  apiKey: string
  applicationKey: string
  query: string
  fromMs: number
  toMs: number
  signal: AbortSignal
}) => Promise<SearchAnswer>

/** The I/O the job needs, passed in by the shell. */
export interface VerifyJobDeps {
  aws: VerifyAws
  searchLogs: SearchLogs
  /** A GET that resolves with the status (the key's site, after a 403). */
  fetchStatus: Fetch
  clock: Clock
}

/** What the watch came to, for the shell's report (the job summary, --json). */
export type VerifyReport = VerifySummaryInput

interface Keys {
  apiKey?: string
  applicationKey?: string
}

/** After the deploy: tasks → the router's own log → a Datadog search, bounded by `timeout`. */
export async function runVerifyJob(
  { input, env }: VerifyJobInput,
  deps: VerifyJobDeps,
  reporter: Reporter<VerifyReport>
): Promise<ExitCode> {
  let heartbeat: Heartbeat | undefined
  let deadlineTimer: NodeJS.Timeout | undefined
  try {
    // A key pasted where its reference belongs must be masked before anything can print it.
    for (const name of ['api-key-secret', 'application-key-secret']) {
      const raw = input(name)
      if (secretInputNeedsMask(raw)) reporter.mask(raw.trim())
    }
    deps.aws.preload()
    const config = readVerifyConfig(input, env)
    const where = config.service ? `${config.cluster}/${config.service}` : config.cluster

    const start = deps.clock.now()
    const abort = new AbortController()
    deadlineTimer = setTimeout(() => abort.abort(), config.timeoutMs + GRACE_MS)
    deadlineTimer.unref()
    const signal = abort.signal
    const beat = startHeartbeat(line => reporter.info(line), { now: () => deps.clock.now() })
    heartbeat = beat
    const job = { config, deps, reporter, signal }

    // The revision and the keys, at once.
    beat.waitingFor('ECS (the service and its task definition)')
    const [target, keys] = await Promise.all([
      resolveRevision(job),
      config.applicationKeySecret ? readKeys(job) : Promise.resolve<Keys>({})
    ])
    const revision = target.revision
    const label = revisionLabel(revision)
    // The seed's bug, visible in the definition itself: no need to wait for the router to say 403.
    const wrongIntake = intakeOfOtherSite(revision, config.site)
    if (wrongIntake) throw wrongIntake
    reporter.info(
      `Verifying ${label} in ${where} (${config.site.code}), for up to ${formatDuration(config.timeoutMs)}: tasks → router log → ${config.applicationKeySecret ? 'Datadog search' : `no Datadog search (no application-key-secret); a task must run ${formatDuration(config.settleMs)} without router errors`}.`
    )
    if (revision.router.log.kind === 'cloudwatch') {
      reporter.info(
        `Router log: ${revision.router.log.group} (${revision.router.log.region}), container ${revision.router.container}.`
      )
    } else {
      const unreadable = routerLogUnreadable(revision)
      reporter.notice(
        `${unreadable.message} ${unreadable.hint}${config.applicationKeySecret ? '; the Datadog search is the check now' : ''}.`
      )
    }
    if (config.applicationKeySecret && !revision.taggedWithTask) {
      reporter.warning(
        `The datadog output of ${label} does not tag records with task_family/task_version (it needs \`provider ecs\` and the router's enable-ecs-log-metadata), so the search for \`${searchQuery(revision)}\` cannot find them. Let the main action patch the task definition.`
      )
    }

    const plan: WatchPlan = {
      revision,
      site: config.site,
      where,
      timeoutMs: config.timeoutMs,
      startedAt: start,
      settleMs: config.settleMs,
      ...pollPlan(config.timeoutMs),
      search: Boolean(config.applicationKeySecret),
      ...(target.notBefore !== undefined ? { notBefore: target.notBefore } : {})
    }
    const report = await watchDeployment(
      plan,
      lookups(job, revision, keys, beat, env.DATADOG_FIRELENS_API_URL_TEMPLATE),
      deps.clock,
      line => {
        beat.beat()
        reporter.info(line)
      }
    )
    beat.stop()
    return await finish(job, revision, where, report, keys, env.DATADOG_FIRELENS_API_URL_TEMPLATE)
  } catch (error) {
    if (error instanceof UserError) {
      reporter.error(error.text)
      return 1
    }
    if (error instanceof DeadlineReached) {
      reporter.error(`${error.message}.\nRaise \`timeout\`, or check that AWS answers from this runner.`)
      return 1
    }
    const bug = unexpectedError(error)
    reporter.debug(bug.stack)
    reporter.bug(bug.message)
    return 1
  } finally {
    heartbeat?.stop()
    if (deadlineTimer) clearTimeout(deadlineTimer)
  }
}

/** What every step of the run shares. */
interface Job {
  config: VerifyConfig
  deps: VerifyJobDeps
  reporter: Reporter<VerifyReport>
  signal: AbortSignal
}

/** The revision to verify: the input, or the service's primary deployment. */
async function resolveRevision({
  config,
  deps,
  signal
}: Job): Promise<{ revision: RevisionFacts; notBefore?: number }> {
  const service = config.service
    ? deps.aws.describeService(config.cluster, config.service, config.region, signal)
    : Promise.resolve(undefined)
  service.catch(() => undefined)
  if (config.taskDefinition) {
    // Both at once: the definition does not depend on the service here.
    const [td, found] = await Promise.all([
      deps.aws.describeTaskDefinition(config.taskDefinition, config.region, signal),
      service
    ])
    if (config.service)
      failIfRolledBack(requireService(found, config), config, td.taskDefinitionArn ?? config.taskDefinition)
    const notBefore = found?.primary?.taskDefinition === td.taskDefinitionArn ? found?.primary?.createdAt : undefined
    return { revision: revisionFacts(td, config.region), ...(notBefore !== undefined ? { notBefore } : {}) }
  }
  const found = requireService(await service, config)
  // After a circuit-breaker rollback the primary deployment is the old revision: verifying it would pass green.
  failIfRolledBack(found, config)
  const primary = found.primary
  if (!primary) {
    throw new UserError(
      `The service ${config.service} in ${config.cluster} has no primary deployment.`,
      'Set `task-definition-arn` to the revision to verify.'
    )
  }
  const td = await deps.aws.describeTaskDefinition(primary.taskDefinition, config.region, signal)
  return {
    revision: revisionFacts(td, config.region),
    ...(primary.createdAt !== undefined ? { notBefore: primary.createdAt } : {})
  }
}

/** A failed latest deployment (rolled back or not) fails the step, naming the revision, the rollback and ECS's reason. */
function failIfRolledBack(found: ServiceFacts, config: VerifyConfig, target?: string): void {
  const finding = failedDeploymentFinding(found, config.cluster, target)
  if (finding) throw new UserError(formatFinding(finding))
}

function requireService(found: ServiceFacts | undefined, config: VerifyConfig): ServiceFacts {
  if (!found) {
    throw new UserError(
      `The ECS service "${config.service}" does not exist in cluster ${config.cluster} (${config.region}).`,
      'Check `service`, `cluster` and the region.'
    )
  }
  if (found.desiredCount === 0) {
    throw new UserError(
      `The ECS service ${found.name} in ${config.cluster} has a desired count of 0, so no task will run to verify.`,
      'Scale the service up (desired count ≥ 1) before verifying.'
    )
  }
  return found
}

/** The watch's lookups, backed by ECS, CloudWatch Logs (only if the router logs there) and Datadog. */
function lookups(
  { config, deps, signal }: Job,
  revision: RevisionFacts,
  keys: Keys,
  beat: Heartbeat,
  apiUrlTemplate: string | undefined
): WatchLookups {
  const filter = config.service ? { serviceName: config.service } : { family: revision.family }
  return {
    async tasks(): Promise<TaskFacts[]> {
      beat.waitingFor('ECS ListTasks/DescribeTasks')
      const [running, stopped] = await Promise.all(
        (['RUNNING', 'STOPPED'] as const).map(desiredStatus =>
          deps.aws.listTaskArns({ cluster: config.cluster, ...filter, desiredStatus }, config.region, signal)
        )
      )
      const arns = [...new Set([...running!, ...stopped!])]
      return arns.length === 0 ? [] : deps.aws.describeTasks(config.cluster, arns, config.region, signal)
    },
    async routerLog(stream, fromMs) {
      const log = revision.router.log
      if (log.kind !== 'cloudwatch') return { kind: 'no-group' }
      beat.waitingFor(`CloudWatch Logs FilterLogEvents (${log.group})`)
      return deps.aws.readLogEvents({ group: log.group, stream, startTime: fromMs }, log.region, signal)
    },
    async search(fromMs, toMs) {
      beat.waitingFor(`the Datadog logs search on ${config.site.code}`)
      return deps.searchLogs({
        apiBase: apiBaseFromTemplate(apiUrlTemplate)(config.site),
        apiKey: keys.apiKey ?? '',
        applicationKey: keys.applicationKey ?? '',
        query: searchQuery(revision),
        fromMs,
        toMs,
        signal
      })
    }
  }
}

/** Reads the keys the search needs, masking each the moment it is known. */
async function readKeys(job: Job): Promise<Keys> {
  const { config } = job
  const [apiKey, applicationKey] = await Promise.all([
    config.apiKeySecret ? readKey(job, config.apiKeySecret, 'api-key-secret') : undefined,
    config.applicationKeySecret ? readKey(job, config.applicationKeySecret, 'application-key-secret') : undefined
  ])
  return { ...(apiKey ? { apiKey } : {}), ...(applicationKey ? { applicationKey } : {}) }
}

async function readKey({ config, deps, reporter, signal }: Job, ref: SecretRef, input: string): Promise<string> {
  const value = await deps.aws.readKey(ref, ref.region ?? config.region, input, signal)
  const key = value.trim()
  if (key) reporter.mask(key)
  if (value && value !== key) reporter.mask(value)
  if (!key) throw new UserError(`The secret in \`${input}\` (${ref.value}) is empty.`, 'Put the Datadog key in it.')
  return key
}

/** Outputs, report, annotations; a 403 in the router's log is checked against the key's real site. */
async function finish(
  job: Job,
  revision: RevisionFacts,
  where: string,
  report: WatchReport,
  keys: Keys,
  apiUrlTemplate: string | undefined
): Promise<ExitCode> {
  const { config, deps, reporter } = job
  const outcome = report.outcome
  if (outcome.result === 'failed' && outcome.findings.some(f => f.kind === 'http-403')) {
    // Right after the 403 it explains.
    const site = await keySiteFinding(job, keys, apiUrlTemplate)
    if (site) outcome.findings.splice(outcome.findings.findIndex(f => f.kind === 'http-403') + 1, 0, site)
  }

  const end = deps.clock.now()
  const from = (report.since ?? end - config.timeoutMs) - LINK_SLACK_MS
  const logsUrl = logsExplorerUrl(config.site, searchQuery(revision), from, end + 15 * 60_000)
  reporter.output('task-arn', report.task?.arn ?? '')
  reporter.output('logs-url', logsUrl)
  if (outcome.result !== 'failed') reporter.output('result', outcome.result)

  for (const warning of report.warnings) {
    // Without a router log and an application key, "no errors seen" is all there is: say so as a notice.
    if (warning.kind === 'no-router-log' && outcome.result === 'no-errors-seen') continue
    reporter.warning(formatFinding(warning))
  }
  await reporter.report({
    report,
    revision,
    site: config.site,
    where,
    search: Boolean(config.applicationKeySecret),
    logsUrl
  })

  const label = revisionLabel(revision)
  if (outcome.result === 'delivered') {
    reporter.info(
      `Delivered: Datadog ${config.site.code} has logs of ${label}${outcome.record.timestamp ? ` (newest at ${outcome.record.timestamp})` : ''}. ${logsUrl}`
    )
    return 0
  }
  if (outcome.result === 'no-errors-seen') {
    const task = report.task ? `task ${report.task.id}` : 'a task'
    reporter.notice(
      report.router.state === 'read'
        ? `No delivery error in the router's log of ${label} (${task} ran ${formatDuration(config.settleMs)} or more). That is not proof that logs arrive: add \`application-key-secret\` for a Datadog search.`
        : `No errors seen, but nothing was checked beyond ${task} staying up for ${formatDuration(config.settleMs)} (the router's log is not readable, see above): add \`application-key-secret\` for a Datadog search.`
    )
    return 0
  }
  for (const finding of outcome.findings) reporter.error(formatFinding(finding))
  return 1
}

/** With the API key at hand, the same probe as `validate-api-key`: which site the key belongs to. */
async function keySiteFinding(job: Job, keys: Keys, apiUrlTemplate: string | undefined): Promise<Finding | undefined> {
  const { config, deps, reporter } = job
  let key = keys.apiKey
  if (!key && config.apiKeySecret) {
    try {
      key = await readKey(job, config.apiKeySecret, 'api-key-secret')
    } catch (error) {
      reporter.info(
        `Could not read the key in \`api-key-secret\` to tell which site it belongs to: ${error instanceof UserError ? error.message : String(error)}`
      )
      return undefined
    }
  }
  if (!key) return undefined
  // validateApiKey says "valid" through info, and only warns when Datadog did not answer.
  let valid = false
  const quiet: Logger = {
    info: () => {
      valid = true
    },
    debug: () => undefined,
    notice: () => undefined,
    warning: () => undefined
  }
  try {
    await validateApiKey(key, config.site, quiet, deps.fetchStatus, apiBaseFromTemplate(apiUrlTemplate))
    if (!valid) return undefined
    return {
      severity: 'error',
      kind: 'key-valid-here',
      message: `The key in \`api-key-secret\` is valid on ${config.site.code}, so the router uses another key, or sends somewhere else.`,
      fix: "Check that the datadog output's apikey secretOption points at the same secret, and that its Host is the site's intake host."
    }
  } catch (error) {
    if (!(error instanceof UserError)) return undefined
    return { severity: 'error', kind: 'key-site', message: error.message, fix: error.hint ?? '' }
  }
}
