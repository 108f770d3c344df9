// A real Fluent Bit run the way the ECS agent runs the log router (FireLens), for tests and the bench: the agent's
// generated main config (forward inputs on a unix socket and TCP, the health-check tcp input, the record_modifier
// with the ECS metadata, the user's config-file-type file @INCLUDEd after it, one datadog output per awsfirelens
// container matching `<container>-firelens*`), the containers the router depends on with SUCCESS run first (their
// entryPoint and command through the shell, as ECS runs them), records sent as the fluentd log driver sends them
// (forward protocol; a line over 16 KiB split into partial_* records), and a loopback intake standing in for Datadog.
// The layout follows aws-samples/amazon-ecs-firelens-under-the-hood's generated_by_firelens.conf.
import { spawn, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { createServer as createHttpServer } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { encode, ExtData } from '@msgpack/msgpack'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
/** ../shared/fluent-bit beside the repository (the project's shared folder; CI has a copy of it). */
export const SHARED_FLUENT_BIT = resolve(REPO_ROOT, '..', 'shared', 'fluent-bit')
/** What the docker fluentd log driver uses as its split size (daemon/logger/fluentd: 16 KiB). */
export const PARTIAL_SIZE = 16 * 1024

/**
 * The Fluent Bit binary: FLUENT_BIT_BIN, else ../shared/fluent-bit/bin/fluent-bit. Undefined when neither exists,
 * with the reason in `realRouterSkipReason()`.
 */
export function fluentBitBinary(env = process.env) {
  const candidates = [env.FLUENT_BIT_BIN, join(SHARED_FLUENT_BIT, 'bin', 'fluent-bit')].filter(Boolean)
  return candidates.find(path => existsSync(path))
}

/**
 * The line a skipped real-router test prints, or undefined when the binary is there. With REAL_ROUTER_REQUIRED=1
 * (CI, which has ../shared) a missing binary throws instead: the layer must run there.
 */
export function realRouterSkipReason(env = process.env) {
  if (fluentBitBinary(env)) return undefined
  const reason = `real-router tests skipped: no Fluent Bit binary (set FLUENT_BIT_BIN, or provide ${join(SHARED_FLUENT_BIT, 'bin', 'fluent-bit')})${env.FLUENT_BIT_BIN ? `; FLUENT_BIT_BIN=${env.FLUENT_BIT_BIN} does not exist` : ''}`
  if (env.REAL_ROUTER_REQUIRED === '1') throw new Error(`REAL_ROUTER_REQUIRED=1 but ${reason}`)
  return reason
}

/** The router image's /fluent-bit folder (configs, parsers): FLUENT_BIT_IMAGE_ROOT, else the shared folder's copy. */
const imageRoot = env => env.FLUENT_BIT_IMAGE_ROOT ?? join(SHARED_FLUENT_BIT, 'image-root')

/** A loopback Datadog log intake: POST /api/v2/logs (gzip or plain JSON arrays). */
export async function startIntake({ status = 202 } = {}) {
  const events = []
  const requests = []
  const waiters = []
  const server = createHttpServer((req, res) => {
    const chunks = []
    req.on('data', chunk => chunks.push(chunk))
    req.on('end', () => {
      let body = Buffer.concat(chunks)
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body)
      const parsed = JSON.parse(body.toString('utf8'))
      requests.push({ method: req.method, url: req.url, headers: req.headers, body: parsed })
      const code = typeof status === 'function' ? status(requests.length) : status
      if (code >= 200 && code < 300) events.push(...(Array.isArray(parsed) ? parsed : [parsed]))
      res.writeHead(code, { 'content-type': 'application/json' }).end('{}')
      for (const waiter of [...waiters]) waiter()
    })
  })
  await new Promise(resolveListen => server.listen(0, '127.0.0.1', resolveListen))
  const port = server.address().port
  return {
    port,
    events,
    requests,
    /** Resolves once `predicate(events)` holds, rejects after `timeoutMs` with what arrived. */
    waitFor(predicate, timeoutMs = 15000) {
      return new Promise((resolveWait, reject) => {
        const check = () => {
          if (!predicate(events)) return false
          clearTimeout(timer)
          waiters.splice(waiters.indexOf(check), 1)
          resolveWait(events)
          return true
        }
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1)
          reject(new Error(`intake: condition not met after ${timeoutMs} ms; ${events.length} events arrived`))
        }, timeoutMs)
        waiters.push(check)
        check()
      })
    },
    close: () => new Promise(resolveClose => server.close(() => resolveClose()))
  }
}

/** Free TCP ports on loopback (for the forward, health-check and HTTP-server listeners). */
async function freePort() {
  const server = createServer()
  await new Promise(resolveListen => server.listen(0, '127.0.0.1', resolveListen))
  const { port } = server.address()
  await new Promise(resolveClose => server.close(resolveClose))
  return port
}

const optionValue = (options, name) =>
  Object.entries(options ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]

/**
 * Starts the router a task definition describes, as the ECS agent would on a task of it.
 *
 * - `taskDefinition`: the (patched) definition; its firelensConfiguration container is the router.
 * - `intake`: from startIntake(); every datadog output is pointed at it (Host 127.0.0.1, its port, TLS off), the
 *   rest of each output's options as the definition has them.
 * - `secrets`: secretOptions values by name (default: apikey → a fake 32-hex key).
 * - `cluster`, `taskArn`, `family`: the agent's ECS metadata.
 * - `files`: extra files inside the router (container path → text), e.g. a user's own config file.
 *
 * Paths in the image (/fluent-bit/…), the task's volumes (each mountPoint's containerPath) and `files` are rewritten
 * into a temporary folder, in the commands the init containers run and in every config file the router reads.
 */
export async function startRouter({
  taskDefinition,
  intake,
  secrets = {},
  cluster = 'prod',
  taskId = '0123456789abcdef0123456789abcdef',
  files = {},
  env = process.env,
  startTimeoutMs = 15000
}) {
  const binary = fluentBitBinary(env)
  if (!binary) throw new Error(realRouterSkipReason(env))
  const containers = taskDefinition.containerDefinitions
  const router = containers.find(c => c.firelensConfiguration)
  if (!router) throw new Error('the task definition has no log router (firelensConfiguration)')
  const work = mkdtempSync(join(tmpdir(), 'real-router-'))
  const region = 'us-east-1'
  const taskArn = `arn:aws:ecs:${region}:111122223333:task/${cluster}/${taskId}`

  // The container's file system, as prefix → host folder (longest prefix first when rewriting).
  const prefixes = new Map([['/fluent-bit/', join(imageRoot(env), 'fluent-bit') + '/']])
  for (const volume of taskDefinition.volumes ?? []) {
    const host = join(work, 'volumes', volume.name)
    mkdirSync(host, { recursive: true })
    for (const container of containers) {
      for (const mount of container.mountPoints ?? []) {
        if (mount.sourceVolume === volume.name) prefixes.set(mount.containerPath.replace(/\/?$/, '/'), host + '/')
      }
    }
  }
  for (const [path, text] of Object.entries(files)) {
    const host = join(work, 'files', path)
    mkdirSync(dirname(host), { recursive: true })
    writeFileSync(host, text)
    prefixes.set(path, host)
  }
  const ordered = [...prefixes.entries()].sort((a, b) => b[0].length - a[0].length)
  const toHost = text => {
    let out = ''
    for (let i = 0; i < text.length;) {
      const hit = ordered.find(([prefix]) => text.startsWith(prefix, i) && (i === 0 || /[\s"'=>(]/.test(text[i - 1])))
      if (hit) {
        out += hit[1]
        i += hit[0].length
      } else out += text[i++]
    }
    return out
  }

  // The containers the router waits for with SUCCESS run to completion first, exit 0 required.
  const initRuns = []
  for (const dependency of router.dependsOn ?? []) {
    const init = containers.find(c => c.name === dependency.containerName)
    if (!init) throw new Error(`router depends on a missing container ${dependency.containerName}`)
    const argv = [...(init.entryPoint ?? []), ...(init.command ?? [])].map(toHost)
    if (argv.length === 0) throw new Error(`${init.name} has neither entryPoint nor command`)
    const initEnv = { PATH: process.env.PATH }
    for (const { name, value } of init.environment ?? []) initEnv[name] = value
    const result = spawnSync(argv[0], argv.slice(1), { env: initEnv, encoding: 'utf8', timeout: 10000 })
    initRuns.push({ name: init.name, condition: dependency.condition, status: result.status, stderr: result.stderr })
    if (dependency.condition === 'SUCCESS' && result.status !== 0) {
      rmSync(work, { recursive: true, force: true })
      throw new Error(`${init.name} exited ${result.status}: ${result.stderr}`)
    }
  }

  // Every config file the router reads, with image and volume paths rewritten (recursively through @INCLUDE and
  // Parsers_File, which Fluent Bit resolves itself).
  const materialized = new Map()
  const materialize = containerPath => {
    const hostPath = toHost(containerPath)
    if (materialized.has(hostPath)) return materialized.get(hostPath)
    const text = readFileSync(hostPath, 'utf8')
    const out = join(work, 'conf', `${createHash('sha256').update(hostPath).digest('hex').slice(0, 12)}.conf`)
    materialized.set(hostPath, out)
    const rewritten = text
      .split('\n')
      .map(line => {
        const include = /^(\s*@INCLUDE\s+)(\S+)\s*$/i.exec(line)
        if (include) return include[1] + materialize(include[2])
        const parsers = /^(\s*Parsers_File\s+)(\S+)\s*$/i.exec(line)
        if (parsers) return parsers[1] + materialize(parsers[2])
        return toHost(line).replace(/^(\s*HTTP_Port\s+)\d+/i, `$1${httpPort}`)
      })
      .join('\n')
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, rewritten)
    return out
  }

  const socket = join(work, 'fluent.sock')
  const forwardPort = await freePort()
  const healthPort = await freePort()
  const httpPort = await freePort()
  const routerEnv = { PATH: process.env.PATH, HOSTNAME: 'ip-10-0-0-1' }
  const lines = [
    '[INPUT]',
    '    Name forward',
    `    unix_path ${socket}`,
    '',
    '[INPUT]',
    '    Name forward',
    '    Listen 127.0.0.1',
    `    Port ${forwardPort}`,
    '',
    '[INPUT]',
    '    Name tcp',
    '    Tag firelens-healthcheck',
    '    Listen 127.0.0.1',
    `    Port ${healthPort}`,
    '',
    '[FILTER]',
    '    Name record_modifier',
    '    Match *',
    `    Record ecs_cluster ${cluster}`,
    `    Record ecs_task_arn ${taskArn}`,
    `    Record ecs_task_definition ${taskDefinition.family}:1`,
    ''
  ]
  const firelensOptions = router.firelensConfiguration.options ?? {}
  if (optionValue(firelensOptions, 'config-file-type') === 'file') {
    lines.push(`@INCLUDE ${materialize(optionValue(firelensOptions, 'config-file-value'))}`, '')
  }
  lines.push('[OUTPUT]', '    Name null', '    Match firelens-healthcheck', '')
  containers.forEach((container, index) => {
    const log = container.logConfiguration
    if (log?.logDriver !== 'awsfirelens') return
    lines.push('[OUTPUT]')
    for (const [key, value] of Object.entries(log.options ?? {})) {
      if (/^(host|port|tls)$/i.test(key)) continue
      lines.push(`    ${key} ${value}`)
    }
    lines.push(`    Match ${container.name}-firelens*`)
    for (const secret of log.secretOptions ?? []) {
      const variable = `${secret.name}_${index}`
      routerEnv[variable] = secrets[secret.name] ?? '0123456789abcdef0123456789abcdef'
      lines.push(`    ${secret.name} \${${variable}}`)
    }
    lines.push('    Host 127.0.0.1', `    Port ${intake.port}`, '    TLS off', '')
  })
  const mainConfig = join(work, 'fluent-bit.conf')
  writeFileSync(mainConfig, lines.join('\n'))

  const child = spawn(binary, ['-c', mainConfig], { env: routerEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  child.stdout.on('data', chunk => (log += chunk))
  child.stderr.on('data', chunk => (log += chunk))
  const exited = new Promise(resolveExit => child.on('exit', (code, signal) => resolveExit({ code, signal })))

  // Ready when the engine has started (it logs its grace period after every plugin initialised) and the unix socket
  // accepts a connection (what the log driver needs); or fail with the router's log.
  const started = Date.now()
  for (;;) {
    if (child.exitCode !== null) {
      const { code } = await exited
      rmSync(work, { recursive: true, force: true })
      const error = new Error(`fluent-bit exited ${code} at start-up:\n${log}`)
      error.log = log
      error.exitCode = code
      throw error
    }
    if (/Shutdown Grace Period=/.test(log) && (await canConnect(socket))) break
    if (Date.now() - started > startTimeoutMs) {
      child.kill('SIGKILL')
      throw new Error(`fluent-bit did not open its forward socket in ${startTimeoutMs} ms:\n${log}`)
    }
    await sleep(50)
  }

  const tagOf = container => `${container}-firelens-${taskId}`
  return {
    taskArn,
    initRuns,
    httpPort,
    /** The router's own output so far. */
    log: () => log,
    /** The shutdown grace period the engine announced at start-up, in seconds. */
    grace: () => Number(/Shutdown Grace Period=(\d+)/.exec(log)?.[1]),
    /** The main config the agent would generate (with paths as they are on this machine). */
    mainConfig: () => readFileSync(mainConfig, 'utf8'),
    /** Sends whole records, as a container's log driver would, for `container`. */
    async sendRecords(container, records) {
      await sendForward(
        socket,
        records.map(record => [tagOf(container), eventTime(record.time), record.record])
      )
    },
    /**
     * Sends lines as the docker fluentd log driver does: a line over 16 KiB in parts with partial_message,
     * partial_id, partial_ordinal and partial_last (every part with the first part's time; a line of exactly
     * 16 384 bytes ends with an empty last part). `lines`: strings, or { log, source }.
     */
    async sendLines(container, lines, { source = 'stdout', time = Date.now() } = {}) {
      const messages = []
      for (const entry of lines) {
        const line = typeof entry === 'string' ? entry : entry.log
        const lineSource = typeof entry === 'string' ? source : (entry.source ?? source)
        for (const record of driverRecords(container, line, lineSource))
          messages.push([tagOf(container), eventTime(time), record])
      }
      await sendForward(socket, messages)
    },
    /** Runs the router's healthCheck command (CMD-SHELL through sh) against this router; resolves to its exit code. */
    healthCheck() {
      const command = router.healthCheck?.command
      if (!command) throw new Error(`${router.name} has no healthCheck`)
      const [kind, ...rest] = command
      const argv =
        kind === 'CMD-SHELL'
          ? ['/bin/sh', '-c', rest.join(' ').replace(/127\.0\.0\.1:2020\b/g, `127.0.0.1:${httpPort}`)]
          : rest
      return spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 10000 }).status
    },
    /** SIGTERM (what ECS sends on stop), then waits; resolves to { code, signal, ms, log }. */
    async stop({ signal = 'SIGTERM', timeoutMs = 60000 } = {}) {
      const begun = Date.now()
      if (child.exitCode === null) child.kill(signal)
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      const result = await exited
      clearTimeout(timer)
      rmSync(work, { recursive: true, force: true })
      return { ...result, ms: Date.now() - begun, log }
    }
  }
}

/** The records the docker fluentd log driver sends for one line of a container's output. */
export function driverRecords(container, line, source = 'stdout') {
  const base = { container_id: `${container}-0123456789`, container_name: `/ecs-${container}`, source }
  const bytes = Buffer.from(line, 'utf8')
  if (bytes.length < PARTIAL_SIZE) return [{ ...base, log: line }]
  const id = randomBytes(32).toString('hex')
  const parts = []
  for (let offset = 0; offset <= bytes.length; offset += PARTIAL_SIZE) {
    parts.push(bytes.subarray(offset, offset + PARTIAL_SIZE).toString('utf8'))
    if (offset + PARTIAL_SIZE === bytes.length) {
      parts.push('')
      break
    }
  }
  return parts.map((part, i) => ({
    ...base,
    log: part,
    partial_message: 'true',
    partial_id: id,
    partial_ordinal: String(i + 1),
    partial_last: String(i === parts.length - 1)
  }))
}

/** Fluentd's EventTime (msgpack ext type 0: seconds and nanoseconds, big-endian), as fluent-logger-golang sends. */
function eventTime(ms = Date.now()) {
  const data = new Uint8Array(8)
  const view = new DataView(data.buffer)
  view.setUint32(0, Math.floor(ms / 1000))
  view.setUint32(4, (ms % 1000) * 1e6)
  return new ExtData(0, data)
}

/** One connection, one forward-protocol message ([tag, time, record]) after another, as the log driver writes. */
function sendForward(socketPath, messages) {
  return new Promise((resolveSend, reject) => {
    const client = connect(socketPath, () => {
      for (const message of messages) client.write(encode(message))
      client.end()
    })
    client.on('close', () => resolveSend())
    client.on('error', reject)
  })
}

function canConnect(socketPath) {
  return new Promise(resolveConnect => {
    if (!existsSync(socketPath)) return resolveConnect(false)
    const client = connect(socketPath, () => {
      client.end()
      resolveConnect(true)
    })
    client.on('error', () => resolveConnect(false))
  })
}

const sleep = ms => new Promise(resolveSleep => setTimeout(resolveSleep, ms))
