// Start-up cost of the bundle as a runner pays it: wall time and peak RSS of `node dist/index.js` per scenario,
// against a bare `node -e 0`, with AWS served by the loopback fake. Usage: npm run bench [-- --runs N] [-- --json]
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { DIST_ENTRY, NO_REGION, REPO_ROOT, prepareActionEnv } from '../__fixtures__/action-env.mjs'
import { startFakeAws } from '../__fixtures__/fake-aws.mjs'

const args = process.argv.slice(2)
const runsArg = args.indexOf('--runs')
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 15
const JSON_OUT = args.includes('--json')
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error('--runs takes a positive integer')
  process.exit(2)
}
if (!existsSync(DIST_ENTRY)) {
  console.error(`${DIST_ENTRY} does not exist: run npm run build first`)
  process.exit(1)
}

const NODE = process.env.E2E_NODE ?? process.execPath
const TIME = '/usr/bin/time'
// GNU time's %M is the child's peak RSS in KiB (getrusage ru_maxrss), read after wait4: exact per process.
// Without it, a preloaded module reports the process's own maxRSS from its 'exit' event instead.
const RSS_METHOD = existsSync(TIME) ? 'gnu-time' : 'exit-hook'
const EXIT_HOOK =
  'data:text/javascript,' +
  encodeURIComponent(
    "import{writeFileSync}from'node:fs';process.on('exit',()=>writeFileSync(process.env.BENCH_RSS_FILE,String(process.resourceUsage().maxRSS)))"
  )

const FIXTURES = join(REPO_ROOT, '__fixtures__', 'task-definitions')
const PARAM = '/datadog/api-key'
const common = { site: 'US1', 'api-key-secret': PARAM }

/**
 * Floors: bundles built the same way (ncc, minified) into .bench/ that do only what no action of this kind can avoid:
 * import @actions/core (which statically loads @actions/http-client and undici), and make one ECS call with the SDK.
 * What the action adds is measured against them.
 */
async function buildFloorBundle(name, source) {
  const dir = join(REPO_ROOT, '.bench', name)
  mkdirSync(dir, { recursive: true })
  const entry = join(dir, 'entry.mjs')
  writeFileSync(entry, source)
  const ncc = createRequire(import.meta.url)('@vercel/ncc')
  const { code } = await ncc(entry, { minify: true, quiet: true })
  const bundle = join(dir, 'index.mjs')
  writeFileSync(bundle, code)
  return bundle
}

const scenarios = [
  { name: 'node -e 0', argv: ['-e', '0'], inputs: {} },
  {
    name: 'floor: a bundle of @actions/core alone',
    argv: [await buildFloorBundle('core-only', "import * as core from '@actions/core'\ncore.info('floor')\n")],
    inputs: {}
  },
  {
    name: 'floor: @actions/core + one RegisterTaskDefinition with @aws-sdk/client-ecs',
    argv: [
      await buildFloorBundle(
        'core-and-ecs',
        [
          "import * as core from '@actions/core'",
          "import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'",
          "const request = { family: 'floor', containerDefinitions: [{ name: 'app', image: 'app:1' }] }",
          'const response = await new ECSClient({}).send(new RegisterTaskDefinitionCommand(request))',
          'core.info(response.taskDefinition.taskDefinitionArn)',
          ''
        ].join('\n')
      )
    ],
    inputs: {}
  },
  {
    // Without a region no AWS check runs: the offline demo (with a region, register: false runs the checks too).
    name: 'dry run (register: false, no region), fargate-web.json',
    argv: [DIST_ENTRY],
    inputs: { ...common, 'task-definition': join(FIXTURES, 'fargate-web.json'), register: 'false' },
    env: NO_REGION
  },
  {
    name: 'register + verify-secret, fargate-web.json',
    argv: [DIST_ENTRY],
    inputs: {
      ...common,
      'task-definition': join(FIXTURES, 'fargate-web.json'),
      'verify-secret': 'true',
      'verify-roles': 'false'
    }
  },
  {
    name: 'register + verify-secret, large-10-containers.json',
    argv: [DIST_ENTRY],
    inputs: {
      ...common,
      'task-definition': join(FIXTURES, 'large-10-containers.json'),
      'verify-secret': 'true',
      'verify-roles': 'false'
    }
  },
  {
    name: 'register + verify-secret + verify-roles (the defaults), fargate-web.json',
    argv: [DIST_ENTRY],
    inputs: { ...common, 'task-definition': join(FIXTURES, 'fargate-web.json') }
  }
]

// The roles of the fixtures, trusting ECS, the execution role allowed to read the parameter (in any region).
const ECS_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]
}
const fake = await startFakeAws({
  parameters: { [PARAM]: 'bench-api-key' },
  validKeys: ['bench-api-key'],
  roles: {
    ecsTaskExecutionRole: {
      trustPolicy: ECS_TRUST,
      policies: {
        'read-key': [{ Effect: 'Allow', Action: 'ssm:GetParameters', Resource: `arn:aws:ssm:*:*:parameter${PARAM}` }]
      }
    },
    'web-task': { trustPolicy: ECS_TRUST }
  }
})

/** One spawn: wall ms (hrtime around spawn -> close), peak RSS KiB, the fake's calls during it. */
async function runOnce(scenario) {
  const prepared = prepareActionEnv({ inputs: scenario.inputs, endpointUrl: fake.url, env: scenario.env })
  const rssFile = join(prepared.tempDir, 'maxrss')
  let cmd = NODE
  let argv = scenario.argv
  if (RSS_METHOD === 'gnu-time') {
    cmd = TIME
    argv = ['-f', '%M', '-o', rssFile, NODE, ...scenario.argv]
  } else {
    prepared.env.BENCH_RSS_FILE = rssFile
    argv = ['--import', EXIT_HOOK, ...scenario.argv]
  }
  const callsBefore = fake.calls.length
  let stderr = ''
  const start = process.hrtime.bigint()
  const child = spawn(cmd, argv, { cwd: prepared.workspace, env: prepared.env, stdio: ['ignore', 'pipe', 'pipe'] })
  // Both streams: core.setFailed writes its ::error:: to stdout.
  child.stdout.setEncoding('utf8').on('data', d => (stderr += d))
  child.stderr.setEncoding('utf8').on('data', d => (stderr += d))
  const code = await new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', c => resolve(c))
  })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  const rssKiB = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : NaN
  const calls = {}
  for (const c of fake.calls.slice(callsBefore)) calls[c.target] = (calls[c.target] ?? 0) + 1
  rmSync(prepared.tempDir, { recursive: true, force: true })
  return { code, ms, rssKiB, calls, stderr }
}

const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const callsKey = calls =>
  Object.entries(calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([t, n]) => `${t} ×${n}`)
    .join(', ') || 'none'

const results = []
let failed = false
try {
  for (const scenario of scenarios) {
    await runOnce(scenario) // warm-up: page cache, first-run compile costs
    const runs = []
    for (let i = 0; i < RUNS; i++) runs.push(await runOnce(scenario))
    const failures = runs.filter(r => r.code !== 0)
    if (failures.length > 0) {
      failed = true
      console.error(`${scenario.name}: ${failures.length}/${RUNS} runs failed (exit ${failures[0].code}):`)
      console.error(failures[0].stderr.trim())
    }
    const callSets = [...new Set(runs.map(r => callsKey(r.calls)))]
    results.push({
      scenario: scenario.name,
      runs: RUNS,
      failures: failures.length,
      ms: runs.map(r => Math.round(r.ms * 10) / 10),
      medianMs: median(runs.map(r => r.ms)),
      rssMiB: { median: median(runs.map(r => r.rssKiB)) / 1024, max: Math.max(...runs.map(r => r.rssKiB)) / 1024 },
      callsPerRun: callSets.length === 1 ? runs[0].calls : runs.map(r => r.calls),
      callsSummary: callSets.length === 1 ? callSets[0] : `varies: ${callSets.join(' | ')}`
    })
  }
} finally {
  await fake.close()
}
const baseline = results[0].medianMs
for (const r of results) r.ratio = r.medianMs / baseline

function distFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? distFiles(join(dir, e.name)) : [join(dir, e.name)]
  )
}
const files = distFiles(join(REPO_ROOT, 'dist'))
const distBytes = files.reduce((sum, f) => sum + statSync(f).size, 0)

const nodeVersion = await new Promise(resolve => {
  const c = spawn(NODE, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
  let out = ''
  c.stdout.on('data', d => (out += d))
  c.on('close', () => resolve(out.trim()))
})

if (JSON_OUT) {
  console.log(
    JSON.stringify(
      {
        node: NODE,
        nodeVersion,
        runs: RUNS,
        rssMethod: RSS_METHOD,
        scenarios: results,
        dist: { files: files.length, bytes: distBytes, mb: distBytes / 1e6 }
      },
      null,
      2
    )
  )
} else {
  const f1 = n => n.toFixed(1)
  console.log(
    `Node ${nodeVersion} (${NODE}), ${RUNS} runs per scenario after 1 warm-up; peak RSS via ${RSS_METHOD === 'gnu-time' ? '/usr/bin/time -f %M' : "an 'exit' hook reading process.resourceUsage().maxRSS"}.`
  )
  console.log('')
  console.log('| scenario | median ms | × node -e 0 | peak RSS MiB (median) | peak RSS MiB (max) | AWS calls per run |')
  console.log('|---|---:|---:|---:|---:|---|')
  for (const r of results) {
    const fail = r.failures ? ` (${r.failures} FAILED)` : ''
    console.log(
      `| ${r.scenario}${fail} | ${f1(r.medianMs)} | ${r.ratio.toFixed(2)} | ${f1(r.rssMiB.median)} | ${f1(r.rssMiB.max)} | ${r.callsSummary} |`
    )
  }
  console.log('')
  console.log(`dist/: ${files.length} files, ${distBytes} bytes (${(distBytes / 1e6).toFixed(2)} MB)`)
}
process.exitCode = failed ? 1 : 0
