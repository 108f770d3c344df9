// The fleet audit at scale: dist/audit/index.js run as a runner runs it, against the loopback fake with a per-request
// latency, on a region of 1,000 services in 10 clusters running 300 distinct revisions. Reports the AWS calls per
// action against the bound (ListClusters pages + ListServices pages + services / 10 + distinct revisions), the wall
// time, the longest gap between two progress lines, and a second run that reads router logs.
//
//   npm run bench:audit [-- --latency 25] [-- --json]     (npm run bench runs it after the action's own bench)
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { AUDIT_ACTION_YML, AUDIT_DIST_ENTRY, parseGithubOutput, prepareActionEnv } from '../__fixtures__/action-env.mjs'
import { healthyFleet, routerGroup } from '../__fixtures__/audit-fleet.mjs'
import { startFakeAws } from '../__fixtures__/fake-aws.mjs'

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const at = args.indexOf(name)
  return at >= 0 ? args[at + 1] : fallback
}
const LATENCY_MS = Number(option('--latency', '25'))
const JSON_OUT = args.includes('--json')
if (!existsSync(AUDIT_DIST_ENTRY)) {
  console.error(`bench-audit: ${AUDIT_DIST_ENTRY} does not exist: run npm run build first`)
  process.exit(2)
}

const CLUSTERS = 10
const PER_CLUSTER = 100
const REVISIONS = 300
const PAGE = 100 // what the audit asks ListClusters / ListServices for

/** Runs the bundle once; resolves with its exit code, outputs, wall time and the longest quiet spell of its log. */
function runBundle(fake, inputs) {
  const prepared = prepareActionEnv({ inputs, endpointUrl: fake.url, actionYml: AUDIT_ACTION_YML })
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const ms = () => Number(process.hrtime.bigint() - started) / 1e6
    const child = spawn(process.execPath, [AUDIT_DIST_ENTRY], { env: prepared.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let last = 0
    let longestGap = 0
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', chunk => {
      stdout += chunk
      const now = ms()
      longestGap = Math.max(longestGap, now - last)
      last = now
    })
    child.stderr.resume()
    child.on('error', reject)
    child.on('close', code => {
      const wallMs = ms()
      longestGap = Math.max(longestGap, wallMs - last)
      const outputs = parseGithubOutput(readFileSync(prepared.outputFile, 'utf8'))
      const report = outputs.report ? JSON.parse(readFileSync(outputs.report, 'utf8')) : undefined
      resolve({ code, wallMs, longestGap, outputs, report, stdout })
    })
  })
}

function callsByTarget(fake) {
  const counts = {}
  for (const call of fake.calls) counts[call.target] = (counts[call.target] ?? 0) + 1
  return counts
}

// 1. The fleet, definitions only.
const fleet = healthyFleet({ clusters: CLUSTERS, perCluster: PER_CLUSTER, revisions: REVISIONS, latencyMs: LATENCY_MS })
let fake = await startFakeAws(fleet)
const audit = await runBundle(fake, { site: 'ap1', timeout: '10m' })
const calls = callsByTarget(fake)
await fake.close()
const services = CLUSTERS * PER_CLUSTER
const bound = Math.ceil(CLUSTERS / PAGE) + CLUSTERS * Math.ceil(PER_CLUSTER / PAGE) + services / 10 + REVISIONS
const total = Object.values(calls).reduce((a, b) => a + b, 0)
if (audit.code !== 0 || audit.report?.totals.services !== services || audit.report?.totals.revisions !== REVISIONS) {
  console.error(audit.stdout)
  throw new Error(`bench-audit: the audit did not see the whole fleet (exit ${audit.code})`)
}

// 2. Router logs of 30 services (one running task each, a stream of router lines), on top of the same bounds.
const LOGGED = 30
const now = Date.now()
const small = healthyFleet({ clusters: 1, perCluster: LOGGED, revisions: 10, latencyMs: LATENCY_MS })
const cluster = small.clusters['cluster-0']
const logGroups = {}
cluster.tasks = Object.entries(cluster.services).map(([name, svc], i) => {
  const id = `task${String(i).padStart(4, '0')}`
  const family = svc.taskDefinition.split('/').pop().split(':')[0]
  logGroups[routerGroup(family)] ??= {}
  logGroups[routerGroup(family)][`firelens/log-router/${id}`] = [
    { timestamp: now - 60_000, message: '[ info] [output:datadog:datadog.0] worker #0 started' }
  ]
  return { id, taskDefinitionArn: svc.taskDefinition, service: name, startedAt: now - 120_000 }
})
fake = await startFakeAws({ ...small, logGroups })
const logged = await runBundle(fake, { site: 'ap1', 'router-logs': '15m' })
const loggedCalls = callsByTarget(fake)
await fake.close()
if (logged.code !== 0) {
  console.error(logged.stdout)
  throw new Error(`bench-audit: the router-log run failed (exit ${logged.code})`)
}

const result = {
  fleet: { clusters: CLUSTERS, services, revisions: REVISIONS, latencyMs: LATENCY_MS },
  calls,
  totalCalls: total,
  bound,
  wallSeconds: Number((audit.wallMs / 1000).toFixed(1)),
  longestQuietSeconds: Number((audit.longestGap / 1000).toFixed(1)),
  routerLogs: {
    services: LOGGED,
    calls: loggedCalls,
    readCalls: (loggedCalls['ECS.ListTasks'] ?? 0) + (loggedCalls['Logs.FilterLogEvents'] ?? 0),
    wallSeconds: Number((logged.wallMs / 1000).toFixed(1))
  },
  node: process.version
}
if (JSON_OUT) console.log(JSON.stringify(result, null, 2))
else {
  console.log(
    `Fleet audit: ${services} services in ${CLUSTERS} clusters, ${REVISIONS} distinct revisions, ${LATENCY_MS} ms per request (${process.version})`
  )
  for (const [target, n] of Object.entries(calls)) console.log(`  ${target.padEnd(28)} ${n}`)
  console.log(
    `  total ${total} calls (bound ${bound}); ${result.wallSeconds} s wall; longest quiet spell ${result.longestQuietSeconds} s`
  )
  console.log(
    `Router logs of ${LOGGED} services: ${result.routerLogs.readCalls} reads (ListTasks + FilterLogEvents) on top; ${result.routerLogs.wallSeconds} s wall`
  )
}
if (total > bound) {
  console.error(`bench-audit: ${total} calls, more than the bound of ${bound}`)
  process.exit(1)
}
