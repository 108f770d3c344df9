// What a runner pays for this action: wall time, peak RSS and AWS calls of each scenario, every scenario and its
// baselines run the same way in the same clean environment (the variables a runner sets, nothing of this shell's),
// interleaved round by round so that drift in the machine's speed hits every scenario alike, on Node 24 first (what
// runners use) and Node 20 second. Ratios are paired: each round's time over the same round's baseline, then the
// median of those.
//
//   npm run bench [-- --runs N] [-- --nodes 24,20] [-- --json] [-- --write-readme] [-- --compile-cache]
//                 [-- --render <dir>] [-- --deploy <dir>]
//
// --render/--deploy: a checkout of aws-actions/amazon-ecs-render-task-definition v1.9.0 / amazon-ecs-deploy-task-
// definition v2.6.3 (their committed dist/index.js and action.yml, as a runner runs them), kept outside git (.bench/).
// --compare <dir>: also runs the dry run and the register scenario with <dir>/index.js (another build of src/).
// --compile-cache: also runs the register scenario with NODE_COMPILE_CACHE cold (a fresh folder every run, as on a
// GitHub-hosted runner) and warm (one folder shared by all runs, as on a long-lived self-hosted runner); Node ≥ 22.1.
// --write-readme: replaces the table between <!-- bench:start --> and <!-- bench:end --> in README.md.
import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { DIST_ENTRY, NO_REGION, REPO_ROOT, inputEnv, prepareActionEnv } from '../__fixtures__/action-env.mjs'
import { startFakeAws } from '../__fixtures__/fake-aws.mjs'
import { ROLES_OK } from '../__fixtures__/roles.mjs'
import * as verify from '../__fixtures__/verify-scenario.mjs'
import { compile, NCC_OPTIONS } from './bundle.mjs'
import { minifyBundle } from './minify-chunks.mjs'

// ---------------------------------------------------------------------------------------------------------------
// Arguments

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const at = args.indexOf(name)
  return at >= 0 ? args[at + 1] : fallback
}
const RUNS = Number(option('--runs', '10'))
const NODES = String(option('--nodes', '24,20')).split(',')
const JSON_OUT = args.includes('--json')
const WRITE_README = args.includes('--write-readme')
const COMPILE_CACHE = args.includes('--compile-cache')
const COMPARE_DIR = option('--compare') && resolve(option('--compare'))
const RENDER_DIR = option('--render') && resolve(option('--render'))
const DEPLOY_DIR = option('--deploy') && resolve(option('--deploy'))
if (!Number.isInteger(RUNS) || RUNS < 1) fail('--runs takes a positive integer')
if (!existsSync(DIST_ENTRY)) fail(`${DIST_ENTRY} does not exist: run npm run build first`)
for (const [flag, dir] of [
  ['--render', RENDER_DIR],
  ['--deploy', DEPLOY_DIR]
]) {
  if (dir !== undefined && !existsSync(join(dir, 'dist', 'index.js')))
    fail(`${flag} ${dir}: expected a checkout of the action with its dist/index.js and action.yml`)
}

function fail(message) {
  console.error(`bench: ${message}`)
  process.exit(2)
}

// ---------------------------------------------------------------------------------------------------------------
// Node binaries

function nodeFor(major) {
  if (process.version.startsWith(`v${major}.`)) return process.execPath
  if (major === '24') {
    // scripts/node24.sh fetches it from npm (NODE24_DIR reuses a folder) and prints its path.
    return execFileSync('bash', [join(REPO_ROOT, 'scripts', 'node24.sh')], { encoding: 'utf8' }).trim()
  }
  const env = process.env[`NODE${major}`]
  if (env && existsSync(env)) return env
  console.error(`bench: no Node ${major} (this is ${process.version}; set NODE${major}=<path to node>): skipped`)
  return undefined
}
const versionOf = node => execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()

// ---------------------------------------------------------------------------------------------------------------
// Floors: bundles built exactly like dist/ (scripts/bundle.mjs's ncc options, chunks minified) that do only what no
// action of this kind can avoid. Cached in .bench/ by a hash of their source, the lock file and the build options.

async function floorBundle(name, source) {
  const key = createHash('sha256')
    .update(source)
    .update(readFileSync(join(REPO_ROOT, 'package-lock.json')))
    .update(JSON.stringify(NCC_OPTIONS))
    .update(readFileSync(join(REPO_ROOT, 'scripts', 'minify-chunks.mjs')))
    .digest('hex')
    .slice(0, 16)
  const dir = join(REPO_ROOT, '.bench', 'floors', `${name}-${key}`)
  const bundle = join(dir, 'index.js')
  if (existsSync(bundle)) return bundle
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  // The entry sits in the repository (an ES module by its package.json) so ncc resolves the project's node_modules;
  // it is removed afterwards.
  const entry = join(REPO_ROOT, '.bench', `floor-${name}.js`)
  writeFileSync(entry, source)
  try {
    const { code, assets } = await compile(entry, NCC_OPTIONS)
    for (const [file, { source: text }] of Object.entries(assets)) writeFileSync(join(dir, file), text)
    writeFileSync(bundle, code)
    await minifyBundle(dir)
  } finally {
    rmSync(entry, { force: true })
  }
  return bundle
}

// ---------------------------------------------------------------------------------------------------------------
// Scenarios

const FIXTURES = join(REPO_ROOT, '__fixtures__', 'task-definitions')
const PARAM = '/datadog/api-key'
const KEY = 'bench-api-key'
const common = { site: 'US1', 'api-key-secret': PARAM }

/** What the fake serves. */
// The 10-container example's router logs to /ecs/large/firelens: verify-log-groups looks it up.
const fakeSeed = {
  parameters: { [PARAM]: KEY },
  validKeys: [KEY],
  roles: ROLES_OK,
  logGroups: { '/ecs/large/firelens': {} }
}

const scenarios = [
  { id: 'bare', label: 'bare node (`node -e 0`)', argv: () => ['-e', '0'] },
  {
    id: 'floorA',
    label: 'floor a: a bundle of @actions/core alone',
    argv: async () => [await floorBundle('core', "import * as core from '@actions/core'\ncore.info('floor')\n")]
  },
  {
    id: 'floorB',
    label: 'floor b: @actions/core + one RegisterTaskDefinition',
    argv: async () => [
      await floorBundle(
        'core-ecs',
        [
          "import * as core from '@actions/core'",
          "import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'",
          "const request = { family: 'floor', containerDefinitions: [{ name: 'app', image: 'app:1' }] }",
          'const response = await new ECSClient({}).send(new RegisterTaskDefinitionCommand(request))',
          'core.info(response.taskDefinition.taskDefinitionArn)',
          ''
        ].join('\n')
      )
    ]
  },
  {
    id: 'dry',
    label: 'dry run (`register: false`, no AWS region)',
    floor: 'floorA',
    argv: () => [DIST_ENTRY],
    env: NO_REGION,
    inputs: { ...common, 'task-definition': join(FIXTURES, 'fargate-web.json'), register: 'false' }
  },
  {
    id: 'register',
    label: 'register, default checks (verify-secret, verify-roles)',
    floor: 'floorB',
    argv: () => [DIST_ENTRY],
    inputs: { ...common, 'task-definition': join(FIXTURES, 'fargate-web.json') }
  },
  {
    id: 'secretOnly',
    label: 'register, verify-secret only (`verify-roles: false`)',
    floor: 'floorB',
    argv: () => [DIST_ENTRY],
    inputs: { ...common, 'task-definition': join(FIXTURES, 'fargate-web.json'), 'verify-roles': 'false' }
  },
  {
    id: 'noChecks',
    label: 'register, no checks (`verify-secret: false`, `verify-roles: false`)',
    floor: 'floorB',
    argv: () => [DIST_ENTRY],
    inputs: {
      ...common,
      'task-definition': join(FIXTURES, 'fargate-web.json'),
      'verify-secret': 'false',
      'verify-roles': 'false'
    }
  }
]
scenarios.push({
  id: 'large',
  label: 'register, 10-container definition',
  floor: 'floorB',
  argv: () => [DIST_ENTRY],
  inputs: { ...common, 'task-definition': join(FIXTURES, 'large-10-containers.json') }
})

// The verify action, once its bundle exists, on the e2e tests' scenario: one running task of web:7 whose router logs
// nothing wrong, and a Datadog search that finds its record at once (the fake plays the site's API through
// DATADOG_FIRELENS_API_URL_TEMPLATE).
const VERIFY_ENTRY = join(REPO_ROOT, 'dist', 'verify', 'index.js')
const VERIFY_YML = join(REPO_ROOT, 'verify', 'action.yml')
if (existsSync(VERIFY_ENTRY) && existsSync(VERIFY_YML)) {
  const now = Date.now()
  const seed = verify.scenario({ datadog: [verify.record('0a1b2c3d4e5f', now - 60_000)] })
  Object.assign(fakeSeed, {
    ...seed,
    parameters: { ...fakeSeed.parameters, ...seed.parameters },
    logGroups: { ...fakeSeed.logGroups, ...seed.logGroups }
  })
  scenarios.push({
    id: 'verify',
    label: 'verify action: the Datadog search finds the logs',
    floor: 'floorA',
    argv: () => [VERIFY_ENTRY],
    actionYml: VERIFY_YML,
    inputs: {
      cluster: verify.CLUSTER,
      service: verify.SERVICE,
      site: 'ap1',
      'api-key-secret': verify.API_KEY_PARAMETER,
      'application-key-secret': verify.APP_KEY_PARAMETER,
      timeout: '30s'
    },
    apiTemplate: true
  })
}

// The neighbouring actions, when given: render patching the same file, deploy registering the same definition.
if (RENDER_DIR) {
  scenarios.push({
    id: 'render',
    label: 'amazon-ecs-render-task-definition (same file)',
    floor: 'floorA',
    argv: () => [join(RENDER_DIR, 'dist', 'index.js')],
    actionYml: join(RENDER_DIR, 'action.yml'),
    inputs: { 'task-definition': join(FIXTURES, 'fargate-web.json'), 'container-name': 'web', image: 'web:2' }
  })
}
if (DEPLOY_DIR) {
  scenarios.push({
    id: 'deploy',
    label: 'amazon-ecs-deploy-task-definition (register only)',
    floor: 'floorB',
    argv: () => [join(DEPLOY_DIR, 'dist', 'index.js')],
    actionYml: join(DEPLOY_DIR, 'action.yml'),
    inputs: { 'task-definition': join(FIXTURES, 'fargate-web.json') }
  })
}
if (COMPARE_DIR) {
  // Another build of the main action (e.g. an experiment in .bench/) beside dist/, for the dry run and registering.
  for (const s of scenarios.filter(s => s.id === 'dry' || s.id === 'register')) {
    scenarios.push({
      ...s,
      id: `${s.id}Compare`,
      label: `${s.label}, ${COMPARE_DIR}`,
      argv: () => [join(COMPARE_DIR, 'index.js')]
    })
  }
}
if (COMPILE_CACHE) {
  const register = scenarios.find(s => s.id === 'register')
  scenarios.push(
    { ...register, id: 'cacheCold', label: 'register, NODE_COMPILE_CACHE cold', compileCache: 'cold' },
    { ...register, id: 'cacheWarm', label: 'register, NODE_COMPILE_CACHE warm', compileCache: 'warm' }
  )
}

// ---------------------------------------------------------------------------------------------------------------
// One run

// How a run is measured, best first. rusage: scripts/bench-rusage.py forks and execs the command and reads the kernel's
// rusage after wait4: wall time from fork to exit (its own start-up excluded), user + system CPU time and peak RSS,
// at microsecond resolution. CPU time is what contention on a shared machine disturbs least. gnu-time: /usr/bin/time's
// %M (peak RSS) with wall time taken around the spawn. exit-hook: a preloaded module reports maxRSS at exit.
const RUSAGE = join(REPO_ROOT, 'scripts', 'bench-rusage.py')
const TIME = '/usr/bin/time'
const hasPython = (() => {
  try {
    execFileSync('python3', ['-c', 'import os; os.wait4'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()
const METHOD = hasPython ? 'rusage' : existsSync(TIME) ? 'gnu-time' : 'exit-hook'
const EXIT_HOOK =
  'data:text/javascript,' +
  encodeURIComponent(
    "import{writeFileSync}from'node:fs';process.on('exit',()=>writeFileSync(process.env.BENCH_RSS_FILE,String(process.resourceUsage().maxRSS)))"
  )
const warmCacheDir = mkdtempSync(join(tmpdir(), 'bench-compile-cache-'))

async function runOnce(node, scenario, argv, fake) {
  const prepared = prepareActionEnv({ endpointUrl: fake.url })
  const env = prepared.env
  if (scenario.env) Object.assign(env, scenario.env)
  // Inputs of the scenario's own action.yml (every declared input: value, default or ''), nothing of another's.
  for (const name of Object.keys(env)) if (name.startsWith('INPUT_')) delete env[name]
  if (scenario.inputs) Object.assign(env, inputEnv(scenario.inputs, scenario.actionYml))
  if (scenario.apiTemplate) env.DATADOG_FIRELENS_API_URL_TEMPLATE = `${fake.url}/{domain}`
  if (scenario.compileCache === 'cold') env.NODE_COMPILE_CACHE = join(prepared.tempDir, 'compile-cache')
  if (scenario.compileCache === 'warm') env.NODE_COMPILE_CACHE = warmCacheDir

  const measureFile = join(prepared.tempDir, 'measure')
  let command = node
  let commandArgs = argv
  if (METHOD === 'rusage') {
    command = 'python3'
    commandArgs = [RUSAGE, measureFile, node, ...argv]
  } else if (METHOD === 'gnu-time') {
    command = TIME
    commandArgs = ['-f', '%M', '-o', measureFile, node, ...argv]
  } else {
    env.BENCH_RSS_FILE = measureFile
    commandArgs = ['--import', EXIT_HOOK, ...argv]
  }
  const before = fake.calls.length
  let output = ''
  const started = process.hrtime.bigint()
  const child = spawn(command, commandArgs, { cwd: prepared.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] })
  // Both streams: @actions/core writes its ::error:: to stdout.
  child.stdout.setEncoding('utf8').on('data', d => (output += d))
  child.stderr.setEncoding('utf8').on('data', d => (output += d))
  const code = await new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', c => resolve(c))
  })
  let ms = Number(process.hrtime.bigint() - started) / 1e6
  let cpuMs = NaN
  let rssKiB = NaN
  if (existsSync(measureFile)) {
    const text = readFileSync(measureFile, 'utf8').trim()
    if (METHOD === 'rusage') {
      const m = JSON.parse(text)
      ms = m.wallMs
      cpuMs = m.userMs + m.sysMs
      rssKiB = m.maxRssKiB
    } else {
      rssKiB = Number(text.split('\n').pop())
    }
  }
  const calls = {}
  for (const c of fake.calls.slice(before)) calls[c.target] = (calls[c.target] ?? 0) + 1
  rmSync(prepared.tempDir, { recursive: true, force: true })
  return { code, ms, cpuMs, rssKiB, calls, output }
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo] + (s[hi] - s[lo]) * (pos - lo)
}
const median = xs => quantile(xs, 0.5)
const callsText = calls =>
  Object.entries(calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([t, n]) => (n === 1 ? t : `${t} ×${n}`))
    .join(', ') || 'none'

// ---------------------------------------------------------------------------------------------------------------
// The rounds

async function benchNode(node) {
  const argvs = new Map()
  for (const s of scenarios) argvs.set(s.id, await s.argv())
  const fake = await startFakeAws(fakeSeed)
  const samples = new Map(scenarios.map(s => [s.id, []]))
  const failures = new Map()
  try {
    // One unrecorded round first: page cache, the floors' first load.
    for (const s of scenarios) await runOnce(node, s, argvs.get(s.id), fake)
    for (let round = 0; round < RUNS; round++) {
      // Rotate the order each round, so no scenario always runs first or right after the same neighbour.
      const order = scenarios.map((_, i) => scenarios[(i + round) % scenarios.length])
      for (const s of order) {
        const run = await runOnce(node, s, argvs.get(s.id), fake)
        samples.get(s.id).push(run)
        if (run.code !== 0 && !failures.has(s.id)) failures.set(s.id, run)
      }
      process.stderr.write(`\rbench: ${versionOf(node)} round ${round + 1}/${RUNS}`)
    }
    process.stderr.write('\n')
  } finally {
    await fake.close()
  }
  const result = []
  for (const s of scenarios) {
    const runs = samples.get(s.id)
    const ms = runs.map(r => r.ms)
    const paired = baseline => runs.map((r, i) => r.ms / samples.get(baseline)[i].ms)
    const toBare = paired('bare')
    const toFloor = s.floor ? paired(s.floor) : undefined
    const cpu = runs.map(r => r.cpuMs)
    const cpuToFloor = s.floor ? runs.map((r, i) => r.cpuMs / samples.get(s.floor)[i].cpuMs) : undefined
    const callSets = [...new Set(runs.map(r => callsText(r.calls)))]
    result.push({
      id: s.id,
      scenario: s.label,
      floor: s.floor,
      runs: runs.length,
      failures: runs.filter(r => r.code !== 0).length,
      firstFailure: failures.get(s.id)?.output.trim().split('\n').slice(-5).join('\n'),
      ms: { median: median(ms), p25: quantile(ms, 0.25), p75: quantile(ms, 0.75) },
      toBare: { median: median(toBare), p25: quantile(toBare, 0.25), p75: quantile(toBare, 0.75) },
      toFloor: toFloor && { median: median(toFloor), p25: quantile(toFloor, 0.25), p75: quantile(toFloor, 0.75) },
      cpuMs: { median: median(cpu), p25: quantile(cpu, 0.25), p75: quantile(cpu, 0.75) },
      cpuToFloor: cpuToFloor && { median: median(cpuToFloor) },
      rssMiB: { median: median(runs.map(r => r.rssKiB)) / 1024, max: Math.max(...runs.map(r => r.rssKiB)) / 1024 },
      calls: callSets.length === 1 ? callSets[0] : `varies: ${callSets.join(' | ')}`
    })
  }
  return result
}

function distSize(dir) {
  let bytes = 0
  let files = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      const sub = distSize(join(dir, e.name))
      bytes += sub.bytes
      files += sub.files
    } else {
      bytes += statSync(join(dir, e.name)).size
      files++
    }
  }
  return { bytes, files }
}

// ---------------------------------------------------------------------------------------------------------------
// Report

const f0 = n => n.toFixed(0)
const f1 = n => n.toFixed(1)
const f2 = n => n.toFixed(2)
const range = (r, f) => `${f(r.median)} (${f(r.p25)}–${f(r.p75)})`

function table(rows) {
  const lines = [
    '| scenario | wall ms, median (p25–p75) | × bare node | × floor | CPU ms | CPU × floor | peak RSS MiB | calls per run |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |'
  ]
  for (const r of rows) {
    const failed = r.failures ? ` **(${r.failures}/${r.runs} failed)**` : ''
    const which = r.floor === 'floorA' ? 'a' : 'b'
    const floor = r.toFloor ? `${range(r.toFloor, f2)} ${which}` : '—'
    const cpuFloor = r.cpuToFloor && !Number.isNaN(r.cpuToFloor.median) ? `${f2(r.cpuToFloor.median)} ${which}` : '—'
    const cpu = Number.isNaN(r.cpuMs.median) ? '—' : f0(r.cpuMs.median)
    lines.push(
      `| ${r.scenario}${failed} | ${range(r.ms, f0)} | ${r.id === 'bare' ? '1' : range(r.toBare, f2)} | ${floor} | ${cpu} | ${cpuFloor} | ${f1(r.rssMiB.median)} | ${r.calls} |`
    )
  }
  return lines.join('\n')
}

const started = new Date()
const machine = `${cpus().length}-core ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Linux ${process.arch}`
const load = loadavg()
  .map(n => n.toFixed(2))
  .join(' ')
const results = []
for (const major of NODES) {
  const node = nodeFor(major)
  if (!node) continue
  results.push({ node: versionOf(node), rows: await benchNode(node) })
}
const loadAfter = loadavg()
  .map(n => n.toFixed(2))
  .join(' ')
const dist = distSize(join(REPO_ROOT, 'dist'))
const verifyDist = existsSync(join(REPO_ROOT, 'dist', 'verify'))
  ? distSize(join(REPO_ROOT, 'dist', 'verify'))
  : undefined

const failed = results.some(r => r.rows.some(row => row.failures > 0))
if (JSON_OUT) {
  console.log(
    JSON.stringify(
      { date: started.toISOString(), machine, load, loadAfter, runs: RUNS, method: METHOD, results, dist },
      null,
      2
    )
  )
} else {
  const markdown = [
    `Measured ${started.toISOString().slice(0, 10)} on a ${machine} (load average ${load} before, ${loadAfter} after; ` +
      `the machine is shared), ${RUNS} interleaved rounds after one warm-up round, measured with ` +
      `${{ rusage: "the kernel's rusage (scripts/bench-rusage.py)", 'gnu-time': '`/usr/bin/time -f %M`', 'exit-hook': "an 'exit' hook" }[METHOD]}; \`npm run bench\`.`,
    '',
    ...results.flatMap(r => [`Node ${r.node}:`, '', table(r.rows), '']),
    `dist/: ${dist.files} files, ${(dist.bytes / 1e6).toFixed(2)} MB, licences included` +
      (verifyDist ? ` (dist/verify/: ${verifyDist.files} files, ${(verifyDist.bytes / 1e6).toFixed(2)} MB)` : '') +
      '.'
  ].join('\n')
  console.log(markdown)
  for (const r of results)
    for (const row of r.rows)
      if (row.failures) console.error(`\nbench: ${row.scenario} failed on ${r.node}:\n${row.firstFailure}`)
  if (WRITE_README) await writeReadme(markdown)
}
rmSync(warmCacheDir, { recursive: true, force: true })
process.exitCode = failed ? 1 : 0

async function writeReadme(markdown) {
  const path = join(REPO_ROOT, 'README.md')
  const readme = readFileSync(path, 'utf8')
  const start = '<!-- bench:start -->'
  const end = '<!-- bench:end -->'
  const a = readme.indexOf(start)
  const b = readme.indexOf(end)
  if (a < 0 || b < a) fail(`README.md has no ${start} … ${end} section`)
  const { format, resolveConfig } = await import('prettier')
  const next = `${readme.slice(0, a + start.length)}\n\n${markdown}\n\n${readme.slice(b)}`
  writeFileSync(path, await format(next, { ...(await resolveConfig(path)), filepath: path }))
  console.error('bench: README.md updated')
}
