import type { Finding } from '../checks/finding.js'
import { routerLogFindings } from '../diagnose/router-log.js'
import { isFailedStop, stoppedTaskFindings } from '../diagnose/stopped-task.js'
import type { TaskFacts } from '../checks/task-facts.js'
import type { Site } from '../sites.js'
import { formatDuration } from '../duration.js'
import { revisionLabel, routerStreamName, type RevisionFacts } from './revision-facts.js'

/** What is being verified, and how long and how often to look. */
export interface WatchPlan {
  revision: RevisionFacts
  site: Site
  /** `cluster/service` or `cluster`, for messages. */
  where: string
  timeoutMs: number
  /** When the step started (epoch ms, by the watch's clock): the timeout counts from there. Default: now. */
  startedAt?: number
  settleMs: number
  pollMs: number
  searchEveryMs: number
  /** Search Datadog (an application key was given). */
  search: boolean
  /** Stopped tasks created before this (epoch ms) belong to an earlier deployment of the same revision. */
  notBefore?: number
}

export interface RouterLogEvent {
  id: string
  timestamp: number
  message: string
}

export type RouterLogRead = { kind: 'events'; events: RouterLogEvent[] } | { kind: 'no-stream' } | { kind: 'no-group' }

export interface FoundRecord {
  timestamp?: string
  taskArn?: string
  service?: string
}

export type SearchAnswer =
  | { kind: 'found'; record: FoundRecord }
  | { kind: 'none' }
  /** 429: wait this long before the next search. */
  | { kind: 'rate-limited'; retryAfterMs: number }
  /** 5xx, no answer: look again at the next turn. */
  | { kind: 'unavailable'; detail: string }
  /** 401/403/400…: searching again will not help. */
  | { kind: 'refused'; status: number; detail: string }

/** The facts the watch needs, fetched by the shell (ECS, CloudWatch Logs, Datadog); tests pass fakes. */
export interface WatchLookups {
  /** Every task of the revision in the cluster (or service): running, pending and recently stopped. */
  tasks(): Promise<TaskFacts[]>
  /** The router's events in one stream from `fromMs` on (inclusive), oldest first. */
  routerLog(stream: string, fromMs: number): Promise<RouterLogRead>
  /** Datadog records of the revision between the two times. */
  search(fromMs: number, toMs: number): Promise<SearchAnswer>
}

export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export type Outcome =
  | { result: 'delivered'; record: FoundRecord }
  | { result: 'no-errors-seen' }
  | {
      result: 'failed'
      why: 'router-errors' | 'stopped' | 'no-task' | 'not-settled' | 'not-found' | 'search-refused' | 'search-throttled'
      findings: Finding[]
    }

/** What the watch saw, for the outcome, the job summary and the outputs. */
export interface WatchReport {
  outcome: Outcome
  /** The task the outcome is about (the one delivering, the settled one, a failing one). */
  task?: TaskFacts
  /** Earliest start of a task of the revision (epoch ms): where the search and the logs link begin. */
  since?: number
  tasksSeen: number
  running: number
  router:
    | { state: 'not-in-cloudwatch'; driver: string }
    | { state: 'read'; group: string; streams: string[]; lines: number; missing: string[] }
  /** Searches Datadog answered (a 429 is not one: that search did not run). */
  searches: number
  /** Searches Datadog refused with HTTP 429 (rate limit). */
  throttled: number
  /** Worth knowing, not failing: printed once each. */
  warnings: Finding[]
  elapsedMs: number
}

/**
 * How often to look: often enough for a progress line at least every 15 s and a quick answer in tests with a few
 * seconds of timeout; the logs search less often (Datadog's log query API allows 300 calls an hour per organization).
 */
export function pollPlan(timeoutMs: number): { pollMs: number; searchEveryMs: number } {
  const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value))
  return {
    pollMs: Math.round(clamp(timeoutMs / 20, 250, 5_000)),
    searchEveryMs: Math.round(clamp(timeoutMs / 10, 250, 15_000))
  }
}

const ROUTER_READS_PER_TURN = 5
// Router clocks and Datadog's timestamps may differ a little from ECS's startedAt.
const SEARCH_SLACK_MS = 60_000

interface StreamState {
  stream: string
  seen: Set<string>
  lines: string[]
  from: number
  read: boolean
}

/**
 * Watches the tasks of one revision until the logs are proven delivered, a failure is certain, or the timeout:
 * tasks (ECS) → the router's own log (CloudWatch Logs) → a Datadog search. Every turn prints one progress line.
 */
export async function watchDeployment(
  plan: WatchPlan,
  lookups: WatchLookups,
  clock: Clock,
  progress: (line: string) => void
): Promise<WatchReport> {
  const start = plan.startedAt ?? clock.now()
  const deadline = start + plan.timeoutMs
  const label = revisionLabel(plan.revision)
  const routerLog = plan.revision.router.log
  const streams = new Map<string, StreamState>()
  const warnings = new Map<string, Finding>()
  const seenTasks = new Set<string>()
  let searches = 0
  let throttled = 0
  // Set while Datadog's rate limit holds (epoch ms of its reset): the search is not running then.
  let throttledUntil: number | undefined
  let nextSearchAt = clock.now()
  let lastTasks: TaskFacts[] = []

  const warn = (finding: Finding, key = finding.kind): void => {
    if (!warnings.has(key)) warnings.set(key, finding)
  }
  const report = (outcome: Outcome, task?: TaskFacts): WatchReport => {
    const since = earliestStart(lastTasks)
    const all = [...streams.values()]
    return {
      outcome,
      ...(task ? { task } : {}),
      ...(since !== undefined ? { since } : {}),
      tasksSeen: seenTasks.size,
      running: lastTasks.filter(isRunning).length,
      router:
        routerLog.kind === 'cloudwatch'
          ? {
              state: 'read',
              group: routerLog.group,
              streams: all.filter(s => s.read).map(s => s.stream),
              lines: all.reduce((n, s) => n + s.lines.length, 0),
              missing: all.filter(s => !s.read).map(s => s.stream)
            }
          : { state: 'not-in-cloudwatch', driver: routerLog.driver },
      searches,
      throttled,
      warnings: [...warnings.values()],
      elapsedMs: clock.now() - start
    }
  }

  for (;;) {
    const tasks = (await lookups.tasks()).filter(t => t.taskDefinitionArn === plan.revision.arn)
    lastTasks = tasks
    for (const t of tasks) seenTasks.add(t.arn)
    const now = clock.now()
    const running = tasks.filter(isRunning).sort(byStart)
    const pending = tasks.filter(t => t.desiredStatus === 'RUNNING' && t.lastStatus !== 'RUNNING')
    const failed = tasks.filter(
      t => isFailedStop(t) && (plan.notBefore === undefined || (t.createdAt ?? now) >= plan.notBefore)
    )

    // 2. The router's own log, from each task's start: its first errors come before the deploy step ends.
    const watched = [...running.slice(0, ROUTER_READS_PER_TURN), ...failed.slice(0, ROUTER_READS_PER_TURN)]
    if (routerLog.kind === 'cloudwatch') {
      await Promise.all(
        watched.map(async task => {
          const stream = routerStreamName(plan.revision.router, task)
          if (!stream) return
          const state = streams.get(task.arn) ?? {
            stream,
            seen: new Set<string>(),
            lines: [],
            from: task.createdAt ?? task.startedAt ?? now,
            read: false
          }
          streams.set(task.arn, state)
          const answer = await lookups.routerLog(stream, state.from)
          if (answer.kind === 'no-group') {
            warn({
              severity: 'warning',
              kind: 'router-log-group-missing',
              message: `The router's log group ${routerLog.group} does not exist in ${routerLog.region}, so its log could not be read.`,
              fix: "Check the router's awslogs-group and awslogs-region options (the main action's `log-router-log-group`)."
            })
            return
          }
          if (answer.kind === 'no-stream') {
            if (isRunning(task) && (task.startedAt ?? now) <= now - plan.settleMs) {
              warn({
                severity: 'warning',
                kind: 'router-stream-missing',
                message: `The router's log stream ${stream} does not exist in ${routerLog.group}, although task ${task.id} has been running for ${formatDuration(now - (task.startedAt ?? now))}.`,
                fix: "Check the router's awslogs-stream-prefix and that the router container writes to this log group."
              })
            }
            return
          }
          state.read = true
          for (const event of answer.events) {
            if (state.seen.has(event.id)) continue
            state.seen.add(event.id)
            state.lines.push(event.message)
            state.from = Math.max(state.from, event.timestamp)
          }
        })
      )
    }

    // Any delivery error in a router's log fails the step, with the line and its fix.
    const routerErrors: Finding[] = []
    let erroredTask: TaskFacts | undefined
    for (const task of watched) {
      const state = streams.get(task.arn)
      if (!state) continue
      for (const finding of routerLogFindings(state.lines, plan.site)) {
        if (finding.severity === 'error') {
          erroredTask ??= task
          mergeFinding(routerErrors, finding)
        } else {
          warn(finding)
        }
      }
    }
    // A stopped task's own router lines explain its stop (e.g. an unknown option): report them with the stop.
    if (routerErrors.length > 0 && (running.length > 0 || failed.length === 0)) {
      return report({ result: 'failed', why: 'router-errors', findings: routerErrors }, erroredTask)
    }

    // 1. Tasks that stopped instead of running.
    const stopFindings: Finding[] = []
    for (const task of failed) {
      const context = {
        routerContainer: plan.revision.router.container,
        ...(plan.revision.executionRoleArn ? { executionRoleArn: plan.revision.executionRoleArn } : {})
      }
      for (const finding of stoppedTaskFindings(task, context)) mergeFinding(stopFindings, finding)
      const state = streams.get(task.arn)
      if (state) for (const f of routerLogFindings(state.lines, plan.site)) mergeFinding(stopFindings, f)
    }
    if (failed.length > 0 && running.length === 0) {
      if (routerLog.kind !== 'cloudwatch' && stopFindings.some(f => f.kind === 'router-exited')) {
        mergeFinding(stopFindings, noRouterLogFinding(routerLog.driver, 'error'))
      }
      return report({ result: 'failed', why: 'stopped', findings: stopFindings }, failed[0])
    }
    for (const finding of stopFindings) {
      warn(
        { ...finding, severity: 'warning', message: `A task of ${label} stopped (others run): ${finding.message}` },
        `stopped:${finding.kind}`
      )
    }

    // 3. Positive proof: a record of the revision in Datadog.
    const since = earliestStart(tasks)
    if (plan.search && since !== undefined && running.length > 0 && now >= nextSearchAt) {
      nextSearchAt = now + plan.searchEveryMs
      const answer = await lookups.search(since - SEARCH_SLACK_MS, clock.now())
      if (answer.kind === 'rate-limited') {
        throttled++
        throttledUntil = clock.now() + answer.retryAfterMs
        nextSearchAt = Math.max(now + plan.searchEveryMs, throttledUntil)
      } else {
        searches++
        throttledUntil = undefined
      }
      if (answer.kind === 'found') {
        const task = running.find(t => t.arn === answer.record.taskArn) ?? running[0]
        return report({ result: 'delivered', record: answer.record }, task)
      }
      if (answer.kind === 'refused') {
        return report({ result: 'failed', why: 'search-refused', findings: [searchRefused(answer, plan.site)] })
      }
      if (answer.kind === 'unavailable') {
        warn({
          severity: 'warning',
          kind: 'search-unavailable',
          message: `The Datadog logs search did not answer (${answer.detail}); trying again.`,
          fix: 'Usually brief; see https://status.datadoghq.com if it lasts.'
        })
      }
    }

    // Without an application key: a task that has run `settle` without a router error is the best we can say.
    if (!plan.search) {
      const settled = running.find(t => t.startedAt !== undefined && now - t.startedAt >= plan.settleMs)
      if (settled) {
        if (routerLog.kind !== 'cloudwatch') warn(noRouterLogFinding(routerLog.driver, 'warning'))
        return report({ result: 'no-errors-seen' }, settled)
      }
    }

    const search = { searches, throttled, ...(throttledUntil !== undefined ? { throttledUntil } : {}) }
    progress(progressLine(plan, clock.now(), clock.now() - start, running, pending, failed, streams, search))

    if (clock.now() >= deadline) {
      return report(timedOut(plan, clock.now(), tasks, running, streams, search), running[0] ?? tasks[0])
    }
    await clock.sleep(Math.max(0, Math.min(plan.pollMs, deadline - clock.now())))
  }
}

function isRunning(task: TaskFacts): boolean {
  return task.lastStatus === 'RUNNING' && task.desiredStatus === 'RUNNING'
}

function byStart(a: TaskFacts, b: TaskFacts): number {
  return (a.startedAt ?? Infinity) - (b.startedAt ?? Infinity)
}

function earliestStart(tasks: readonly TaskFacts[]): number | undefined {
  const starts = tasks.map(t => t.startedAt ?? t.createdAt).filter((t): t is number => t !== undefined)
  return starts.length > 0 ? Math.min(...starts) : undefined
}

/** One finding per kind: the first one's text, the lines of the others counted. */
function mergeFinding(list: Finding[], finding: Finding): void {
  const same = list.find(f => f.kind === finding.kind && f.message === finding.message)
  if (!same) {
    list.push({ ...finding })
    return
  }
  same.count = (same.count ?? 1) + (finding.count ?? 1)
}

function noRouterLogFinding(driver: string, severity: Finding['severity']): Finding {
  return {
    severity,
    kind: 'no-router-log',
    message: `The log router's own log is not in CloudWatch Logs (log driver: ${driver}), and that is the only place delivery errors such as HTTP 403 show.`,
    fix: 'Set `log-router-log-group` in the main action (the router then logs with awslogs), and add `application-key-secret` here for a positive proof that logs arrive.'
  }
}

function searchRefused(answer: { status: number; detail: string }, site: Site): Finding {
  const forbidden = answer.status === 401 || answer.status === 403
  return {
    severity: 'error',
    kind: forbidden ? 'search-forbidden' : 'search-rejected',
    message: forbidden
      ? `The Datadog logs search on ${site.code} refused the keys (HTTP ${answer.status}: ${answer.detail}).`
      : `The Datadog logs search on ${site.code} rejected the request (HTTP ${answer.status}: ${answer.detail}).`,
    fix: forbidden
      ? `Both keys must belong to ${site.code}'s organization, and the application key needs the logs_read_data scope (Organization Settings → Application Keys). A key of another site gets 403 on this one.`
      : 'This is likely a bug in the action: please report it with this message.'
  }
}

/** Where the search stands: how many ran, how many Datadog throttled, and until when the limit holds. */
interface SearchState {
  searches: number
  throttled: number
  throttledUntil?: number
}

/**
 * A search Datadog answered with 429 did not run: nothing is known about the logs then, so the outcome says the search
 * was throttled until the reset and what to do, never that it "found nothing" nor why logs might be missing.
 */
export function throttledFinding(
  plan: Pick<WatchPlan, 'revision' | 'site' | 'timeoutMs'>,
  now: number,
  search: Required<SearchState>
): Finding {
  const label = revisionLabel(plan.revision)
  const reset = new Date(search.throttledUntil).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const left = search.throttledUntil - now
  const ran =
    search.searches === 0
      ? 'no search ran'
      : `the last search did not run (${search.searches} ran before the limit was reached)`
  return {
    severity: 'error',
    kind: 'search-throttled',
    message: `The Datadog logs search on ${plan.site.code} was throttled (HTTP 429, ${search.throttled} time${search.throttled === 1 ? '' : 's'}) until ${reset}${left > 0 ? `, ${formatDuration(left)} after this step's timeout` : ''}: ${ran}, so whether logs of ${label} reached Datadog is not known.`,
    fix: `Datadog limits log searches per organization (every job and user of it shares the limit). Re-run this step after ${reset}, or raise \`timeout\` past the reset; meanwhile look for the logs with the \`logs-url\` output. If it happens often, fewer jobs searching at once (e.g. max-parallel in a matrix) spends the limit slower.`
  }
}

function timedOut(
  plan: WatchPlan,
  now: number,
  tasks: TaskFacts[],
  running: TaskFacts[],
  streams: Map<string, StreamState>,
  search: SearchState
): Outcome {
  const { searches } = search
  const label = revisionLabel(plan.revision)
  const waited = formatDuration(plan.timeoutMs)
  if (tasks.length === 0) {
    return {
      result: 'failed',
      why: 'no-task',
      findings: [
        {
          severity: 'error',
          kind: 'no-task',
          message: `No task of ${label} appeared in ${plan.where} within ${waited}.`,
          fix: 'Check that the deploy step updated the service to this revision and that its desired count is above 0; the service events (aws ecs describe-services) say what ECS is doing. Or raise `timeout`.'
        }
      ]
    }
  }
  if (running.length === 0) {
    const states = countBy(tasks.map(t => t.lastStatus))
    return {
      result: 'failed',
      why: 'no-task',
      findings: [
        {
          severity: 'error',
          kind: 'no-running-task',
          message: `No task of ${label} reached RUNNING within ${waited} (${states}).`,
          fix: 'Tasks may be waiting for capacity, pulling large images or failing health checks; see the service events, or raise `timeout`.'
        }
      ]
    }
  }
  if (!plan.search) {
    const oldest = running[0]!
    const upFor = oldest.startedAt !== undefined ? ` (it had run for ${formatDuration(now - oldest.startedAt)})` : ''
    return {
      result: 'failed',
      why: 'not-settled',
      findings: [
        {
          severity: 'error',
          kind: 'not-settled',
          message: `Task ${oldest.id} of ${label} had not yet run for \`settle\` (${formatDuration(plan.settleMs)}) when the timeout (${waited}) came${upFor}.`,
          fix: 'Raise `timeout` or lower `settle`.'
        }
      ]
    }
  }
  if (search.throttledUntil !== undefined) {
    return {
      result: 'failed',
      why: 'search-throttled',
      findings: [throttledFinding(plan, now, { ...search, throttledUntil: search.throttledUntil })]
    }
  }
  const lines = [...streams.values()].reduce((n, s) => n + s.lines.length, 0)
  return {
    result: 'failed',
    why: 'not-found',
    findings: [
      {
        severity: 'error',
        kind: 'not-found',
        message: `No log of ${label} reached Datadog ${plan.site.code} within ${waited}: ${searches} search${searches === 1 ? '' : 'es'} for \`${searchQuery(plan.revision)}\` since the first task started found nothing${plan.revision.router.log.kind === 'cloudwatch' ? `, and the router's log (${lines} lines) shows no delivery error` : ''}.`,
        fix: notFoundCauses(plan)
      }
    ]
  }
}

/** The most likely reasons nothing was found, most likely first. */
export function notFoundCauses(plan: Pick<WatchPlan, 'revision' | 'site'>): string {
  const causes: string[] = []
  if (!plan.revision.taggedWithTask) {
    causes.push(
      "the records carry no task_family/task_version tags (the datadog output lacks `provider ecs`, or the router's enable-ecs-log-metadata is false), so this search cannot match them: let the main action patch the task definition"
    )
  }
  if (plan.revision.router.log.kind !== 'cloudwatch') {
    causes.push(
      `delivery errors (HTTP 403 from a key of another site than ${plan.site.code}, TLS) show only in the router's own log, which is not in CloudWatch: run the main action with \`validate-api-key: true\` and \`log-router-log-group\``
    )
  }
  causes.push(
    'the application wrote nothing to stdout/stderr since the task started (the router then sends nothing, and prints nothing either)',
    "the logs are excluded from indexing (an index exclusion filter or daily quota): look for them in Live Tail, and at the indexes' configuration",
    'Datadog is slow to index right now: raise `timeout`'
  )
  return `Most likely, in order: ${causes.map((c, i) => `(${i + 1}) ${c}`).join('; ')}.`
}

/** The Datadog query for the revision's records: the router tags each with its task family and revision. */
export function searchQuery(revision: Pick<RevisionFacts, 'family' | 'revision'>): string {
  return `task_family:${revision.family} task_version:${revision.revision}`
}

function countBy(values: string[]): string {
  const counts = new Map<string, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts].map(([v, n]) => `${n} ${v}`).join(', ')
}

function progressLine(
  plan: WatchPlan,
  now: number,
  elapsedMs: number,
  running: TaskFacts[],
  pending: TaskFacts[],
  failed: TaskFacts[],
  streams: Map<string, StreamState>,
  search: SearchState
): string {
  const { searches } = search
  const parts: string[] = []
  const oldest = running[0]
  const tasks =
    running.length + pending.length + failed.length === 0
      ? 'no task yet'
      : [
          `${running.length} running${oldest?.startedAt !== undefined ? ` (oldest up ${formatDuration(now - oldest.startedAt)})` : ''}`,
          pending.length ? `${pending.length} starting` : '',
          failed.length ? `${failed.length} stopped` : ''
        ]
          .filter(Boolean)
          .join(', ')
  parts.push(`${revisionLabel(plan.revision)} in ${plan.where}: ${tasks}`)
  if (plan.revision.router.log.kind === 'cloudwatch') {
    const read = [...streams.values()].filter(s => s.read)
    const lines = read.reduce((n, s) => n + s.lines.length, 0)
    parts.push(
      read.length === 0
        ? 'router log: no stream yet'
        : `router log: ${lines} line${lines === 1 ? '' : 's'}, no delivery error`
    )
  } else {
    parts.push('router log: not in CloudWatch')
  }
  const ran = `${searches} search${searches === 1 ? '' : 'es'}`
  parts.push(
    !plan.search
      ? `settle: ${formatDuration(plan.settleMs)} without errors`
      : search.throttledUntil !== undefined
        ? `Datadog: search throttled (HTTP 429) until ${new Date(search.throttledUntil).toISOString().replace(/\.\d{3}Z$/, 'Z')}, not running (${ran} ran)`
        : `Datadog: no record yet (${ran})`
  )
  return `[${formatDuration(elapsedMs)}/${formatDuration(plan.timeoutMs)}] ${parts.join(' · ')}`
}
