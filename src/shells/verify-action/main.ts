import * as core from '@actions/core'
import { apiBaseFromTemplate, validateApiKey } from '../../core/checks/api-key-check.js'
import type * as CloudWatchLogs from '../../adapters/aws/cloudwatch-logs.js'
import type * as EcsDeployments from '../../adapters/aws/ecs-deployments.js'
import { DeadlineReached } from '../../adapters/aws/deadline.js'
import { describeAwsError, endpointFor } from '../../adapters/aws/errors.js'
import { formatFinding, type Finding } from '../../core/checks/finding.js'
import type { TaskFacts } from '../../core/checks/task-facts.js'
import { searchLogs } from '../../adapters/datadog/logs-search.js'
import { logsExplorerUrl } from '../../core/datadog/logs-url.js'
import { UserError } from '../../core/errors.js'
import { fetchStatus, fetchText } from '../../adapters/http/proxy.js'
import type { Logger } from '../../core/logger.js'
import type { SecretRef } from '../../core/secret-ref.js'
import { formatDuration } from '../../core/duration.js'
import { startHeartbeat, type Heartbeat } from './heartbeat.js'
import { looksLikeKey, readVerifyConfig, type VerifyConfig } from '../../core/inputs/verify-inputs.js'
import {
  intakeOfOtherSite,
  revisionFacts,
  revisionLabel,
  type RevisionFacts
} from '../../core/verify/revision-facts.js'
import { renderVerifySummary } from '../../core/report/verify-summary.js'
import {
  pollPlan,
  searchQuery,
  watchDeployment,
  type WatchLookups,
  type WatchPlan,
  type WatchReport
} from '../../core/verify/watch.js'

const TITLE = 'Datadog FireLens verify'
// Calls in flight when the timeout comes get this long to finish before they are aborted.
const GRACE_MS = 1_000
// The search looks back this far before the first task's start (clock differences), and so does the link.
const LINK_SLACK_MS = 60_000

const logger: Logger = {
  info: message => core.info(message),
  debug: message => core.debug(message),
  notice: (message, props) => core.notice(message, { title: TITLE, ...props }),
  warning: (message, props) => core.warning(message, { title: TITLE, ...props })
}

interface Keys {
  apiKey?: string
  applicationKey?: string
}

/** After the deploy: tasks → the router's own log → a Datadog search, bounded by `timeout`. */
export async function run(): Promise<void> {
  let heartbeat: Heartbeat | undefined
  let deadlineTimer: NodeJS.Timeout | undefined
  try {
    // A key pasted where its reference belongs must be masked before anything can print it.
    for (const name of ['api-key-secret', 'application-key-secret']) {
      const raw = core.getInput(name)
      if (looksLikeKey(raw)) core.setSecret(raw.trim())
    }
    const ecsModule = import('../../adapters/aws/ecs-deployments.js')
    ecsModule.catch(() => undefined)
    const config = readVerifyConfig(name => core.getInput(name), process.env)
    const where = config.service ? `${config.cluster}/${config.service}` : config.cluster

    const start = Date.now()
    const abort = new AbortController()
    deadlineTimer = setTimeout(() => abort.abort(), config.timeoutMs + GRACE_MS)
    deadlineTimer.unref()
    const signal = abort.signal
    const beat = startHeartbeat(line => core.info(line))
    heartbeat = beat

    // The revision and the keys, at once.
    beat.waitingFor('ECS (the service and its task definition)')
    const ecs = await ecsModule
    const client = ecs.createEcsClient(config.region)
    const [target, keys] = await Promise.all([
      resolveRevision(config, ecs, client, signal),
      config.applicationKeySecret ? readKeys(config, signal) : Promise.resolve<Keys>({})
    ])
    const revision = target.revision
    const label = revisionLabel(revision)
    // The seed's bug, visible in the definition itself: no need to wait for the router to say 403.
    const wrongIntake = intakeOfOtherSite(revision, config.site)
    if (wrongIntake) throw wrongIntake
    core.info(
      `Verifying ${label} in ${where} (${config.site.code}), for up to ${formatDuration(config.timeoutMs)}: tasks → router log → ${config.applicationKeySecret ? 'Datadog search' : `no Datadog search (no application-key-secret); a task must run ${formatDuration(config.settleMs)} without router errors`}.`
    )
    if (revision.router.log.kind === 'cloudwatch') {
      core.info(
        `Router log: ${revision.router.log.group} (${revision.router.log.region}), container ${revision.router.container}.`
      )
    } else {
      logger.notice(
        `The log router (${revision.router.container}) of ${label} does not log to CloudWatch (log driver: ${revision.router.log.driver}), so its delivery errors cannot be read. Set \`log-router-log-group\` in the main action to add that log${config.applicationKeySecret ? '; the Datadog search is the check now' : ''}.`
      )
    }
    if (config.applicationKeySecret && !revision.taggedWithTask) {
      logger.warning(
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
      lookups(config, revision, ecs, client, keys, beat, signal),
      { now: Date.now, sleep: ms => new Promise(resolve => setTimeout(resolve, ms)) },
      line => {
        beat.beat()
        core.info(line)
      }
    )
    beat.stop()
    await finish(config, revision, where, report, keys, signal)
  } catch (error) {
    if (error instanceof UserError) {
      core.error(error.text, { title: TITLE })
      process.exitCode = 1
      return
    }
    if (error instanceof DeadlineReached) {
      core.error(`${error.message}.\nRaise \`timeout\`, or check that AWS answers from this runner.`, { title: TITLE })
      process.exitCode = 1
      return
    }
    core.debug(error instanceof Error ? (error.stack ?? error.message) : String(error))
    core.setFailed(
      `Unexpected error (a bug in datadog-firelens-action, please report it): ${error instanceof Error ? error.message : String(error)}`
    )
  } finally {
    heartbeat?.stop()
    if (deadlineTimer) clearTimeout(deadlineTimer)
  }
}

type EcsModule = typeof EcsDeployments
type EcsClient = ReturnType<EcsModule['createEcsClient']>

/** The revision to verify: the input, or the service's primary deployment. */
async function resolveRevision(
  config: VerifyConfig,
  ecs: EcsModule,
  client: EcsClient,
  signal: AbortSignal
): Promise<{ revision: RevisionFacts; notBefore?: number }> {
  const service = config.service
    ? ecs.describeService(client, config.cluster, config.service, config.region, signal)
    : Promise.resolve(undefined)
  service.catch(() => undefined)
  if (config.taskDefinition) {
    // Both at once: the definition does not depend on the service here.
    const [td, found] = await Promise.all([
      ecs.describeTaskDefinition(client, config.taskDefinition, config.region, signal),
      service
    ])
    if (config.service) requireService(found, config)
    const notBefore = found?.primary?.taskDefinition === td.taskDefinitionArn ? found?.primary?.createdAt : undefined
    return { revision: revisionFacts(td, config.region), ...(notBefore !== undefined ? { notBefore } : {}) }
  }
  const found = requireService(await service, config)
  const primary = found.primary
  if (!primary) {
    throw new UserError(
      `The service ${config.service} in ${config.cluster} has no primary deployment.`,
      'Set `task-definition-arn` to the revision to verify.'
    )
  }
  const td = await ecs.describeTaskDefinition(client, primary.taskDefinition, config.region, signal)
  return {
    revision: revisionFacts(td, config.region),
    ...(primary.createdAt !== undefined ? { notBefore: primary.createdAt } : {})
  }
}

function requireService(
  found: Awaited<ReturnType<EcsModule['describeService']>>,
  config: VerifyConfig
): NonNullable<Awaited<ReturnType<EcsModule['describeService']>>> {
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

/** The watch's lookups, backed by ECS, CloudWatch Logs (imported only if the router logs there) and Datadog. */
function lookups(
  config: VerifyConfig,
  revision: RevisionFacts,
  ecs: EcsModule,
  client: EcsClient,
  keys: Keys,
  beat: Heartbeat,
  signal: AbortSignal
): WatchLookups {
  let logsClient:
    Promise<{ module: typeof CloudWatchLogs; client: ReturnType<typeof CloudWatchLogs.createLogsClient> }> | undefined
  const filter = config.service ? { serviceName: config.service } : { family: revision.family }
  return {
    async tasks(): Promise<TaskFacts[]> {
      beat.waitingFor('ECS ListTasks/DescribeTasks')
      const [running, stopped] = await Promise.all(
        (['RUNNING', 'STOPPED'] as const).map(desiredStatus =>
          ecs.listTaskArns(client, { cluster: config.cluster, ...filter, desiredStatus }, config.region, signal)
        )
      )
      const arns = [...new Set([...running!, ...stopped!])]
      return arns.length === 0 ? [] : ecs.describeTasks(client, config.cluster, arns, config.region, signal)
    },
    async routerLog(stream, fromMs) {
      const log = revision.router.log
      if (log.kind !== 'cloudwatch') return { kind: 'no-group' }
      beat.waitingFor(`CloudWatch Logs FilterLogEvents (${log.group})`)
      logsClient ??= import('../../adapters/aws/cloudwatch-logs.js').then(module => ({
        module,
        client: module.createLogsClient(log.region)
      }))
      const { module, client: logs } = await logsClient
      return module.readLogEvents(logs, { group: log.group, stream, startTime: fromMs }, log.region, signal)
    },
    async search(fromMs, toMs) {
      beat.waitingFor(`the Datadog logs search on ${config.site.code}`)
      return searchLogs(
        {
          apiBase: apiBaseFromTemplate(process.env.DATADOG_FIRELENS_API_URL_TEMPLATE)(config.site),
          apiKey: keys.apiKey ?? '',
          applicationKey: keys.applicationKey ?? '',
          query: searchQuery(revision),
          fromMs,
          toMs,
          signal
        },
        fetchText
      )
    }
  }
}

/** Reads the keys the search needs, masking each the moment it is known. */
async function readKeys(config: VerifyConfig, signal: AbortSignal): Promise<Keys> {
  const [apiKey, applicationKey] = await Promise.all([
    config.apiKeySecret ? readKey(config.apiKeySecret, config.region, 'api-key-secret', signal) : undefined,
    config.applicationKeySecret
      ? readKey(config.applicationKeySecret, config.region, 'application-key-secret', signal)
      : undefined
  ])
  return { ...(apiKey ? { apiKey } : {}), ...(applicationKey ? { applicationKey } : {}) }
}

async function readKey(ref: SecretRef, taskRegion: string, input: string, signal: AbortSignal): Promise<string> {
  const region = ref.region ?? taskRegion
  let value: string
  try {
    if (ref.kind === 'ssm') {
      const ssm = await import('../../adapters/aws/ssm.js')
      value = await ssm.readParameter(ssm.createSsmClient(region), ref.name)
    } else {
      const sm = await import('../../adapters/aws/secrets-manager.js')
      value = await sm.readSecret(sm.createSecretsManagerClient(region), ref.secretId, ref.jsonKey)
    }
  } catch (error) {
    if (signal.aborted)
      throw new DeadlineReached(`stopped waiting for the key in \`${input}\`: the step's timeout was reached`)
    const notFound = /ParameterNotFound|ResourceNotFoundException/.test((error as Error)?.name ?? '')
    if (notFound) {
      throw new UserError(
        `The secret in \`${input}\` (${ref.value}) does not exist in ${region}.`,
        'Check the name or ARN; a parameter in another region needs its full ARN.'
      )
    }
    throw describeAwsError(error, {
      action: ref.kind === 'ssm' ? 'ssm:GetParameter' : 'secretsmanager:GetSecretValue',
      endpoint: endpointFor(ref.kind === 'ssm' ? 'ssm' : 'secretsmanager', region),
      region,
      accessHint: `the verify action reads the key in \`${input}\` (with kms:Decrypt for a customer-managed key).`
    })
  }
  const key = value.trim()
  if (key) core.setSecret(key)
  if (value && value !== key) core.setSecret(value)
  if (!key) throw new UserError(`The secret in \`${input}\` (${ref.value}) is empty.`, 'Put the Datadog key in it.')
  return key
}

/** Outputs, summary, annotations; a 403 in the router's log is checked against the key's real site. */
async function finish(
  config: VerifyConfig,
  revision: RevisionFacts,
  where: string,
  report: WatchReport,
  keys: Keys,
  signal: AbortSignal
): Promise<void> {
  const outcome = report.outcome
  if (outcome.result === 'failed' && outcome.findings.some(f => f.kind === 'http-403')) {
    // Right after the 403 it explains.
    const site = await keySiteFinding(config, keys, signal)
    if (site) outcome.findings.splice(outcome.findings.findIndex(f => f.kind === 'http-403') + 1, 0, site)
  }

  const end = Date.now()
  const from = (report.since ?? end - config.timeoutMs) - LINK_SLACK_MS
  const logsUrl = logsExplorerUrl(config.site, searchQuery(revision), from, end + 15 * 60_000)
  core.setOutput('task-arn', report.task?.arn ?? '')
  core.setOutput('logs-url', logsUrl)
  if (outcome.result !== 'failed') core.setOutput('result', outcome.result)

  for (const warning of report.warnings) {
    // Without a router log and an application key, "no errors seen" is all there is: say so as a notice.
    if (warning.kind === 'no-router-log' && outcome.result === 'no-errors-seen') continue
    logger.warning(formatFinding(warning))
  }
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary
      .addRaw(
        renderVerifySummary({
          report,
          revision,
          site: config.site,
          where,
          search: Boolean(config.applicationKeySecret),
          logsUrl
        })
      )
      .write()
  }

  const label = revisionLabel(revision)
  if (outcome.result === 'delivered') {
    core.info(
      `Delivered: Datadog ${config.site.code} has logs of ${label}${outcome.record.timestamp ? ` (newest at ${outcome.record.timestamp})` : ''}. ${logsUrl}`
    )
    return
  }
  if (outcome.result === 'no-errors-seen') {
    const task = report.task ? `task ${report.task.id}` : 'a task'
    logger.notice(
      report.router.state === 'read'
        ? `No delivery error in the router's log of ${label} (${task} ran ${formatDuration(config.settleMs)} or more). That is not proof that logs arrive: add \`application-key-secret\` for a Datadog search.`
        : `No errors seen, but nothing was checked beyond ${task} staying up for ${formatDuration(config.settleMs)} (the router's log is not readable, see above): add \`application-key-secret\` for a Datadog search.`
    )
    return
  }
  for (const finding of outcome.findings) core.error(formatFinding(finding), { title: TITLE })
  process.exitCode = 1
}

/** With the API key at hand, the same probe as `validate-api-key`: which site the key belongs to. */
async function keySiteFinding(config: VerifyConfig, keys: Keys, signal: AbortSignal): Promise<Finding | undefined> {
  let key = keys.apiKey
  if (!key && config.apiKeySecret) {
    try {
      key = await readKey(config.apiKeySecret, config.region, 'api-key-secret', signal)
    } catch (error) {
      core.info(
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
    await validateApiKey(
      key,
      config.site,
      quiet,
      fetchStatus,
      apiBaseFromTemplate(process.env.DATADOG_FIRELENS_API_URL_TEMPLATE)
    )
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
