// The real router (Fluent Bit 5.0.9, ../shared/fluent-bit) starts on the datadog output the action writes for a
// container behind a fluentbit router on a custom image (its baked-in files aside). Host and Port point at loopback.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT } from '../../__fixtures__/action-env.mjs'
import { exampleTaskDefinition, patchConfig } from '../../__fixtures__/patch-config.js'
import { patchTaskDefinition } from '../../src/core/patch/patch-task-definition.js'

const BIN = process.env.FLUENT_BIT_BIN || join(REPO_ROOT, '..', 'shared', 'fluent-bit', 'bin', 'fluent-bit')
const present = existsSync(BIN)
if (!present) console.log(`real-router tests skipped: no Fluent Bit at ${BIN} (set FLUENT_BIT_BIN)`)
const describeReal = present ? describe : describe.skip

let server: Server
let port = 0
beforeAll(async () => {
  server = createServer(socket => socket.destroy())
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as { port: number }).port
})
afterAll(async () => {
  await new Promise(resolve => server.close(resolve))
})

/** The [OUTPUT] FireLens writes for one container, with Host/Port on loopback and the key as the env variable. */
function routerConfig(options: Record<string, string>): string {
  const lines = Object.entries(options)
    .filter(([key]) => !['name', 'host', 'port'].includes(key.toLowerCase()))
    .map(([key, value]) => `    ${key} ${value}`)
  return [
    '[SERVICE]',
    '    Flush 1',
    '    Grace 1',
    '[INPUT]',
    '    Name dummy',
    '    Tag web-firelens-0123',
    '[OUTPUT]',
    '    Name datadog',
    '    Match web-firelens*',
    '    Host 127.0.0.1',
    `    Port ${port}`,
    '    apikey ${apikey_0}',
    ...lines,
    ''
  ].join('\n')
}

/** Starts the router, waits 2.5 s: it must still be running, without a configuration error. */
async function starts(config: string): Promise<{ running: boolean; log: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'dd-firelens-router-')), 'fluent-bit.conf')
  writeFileSync(file, config)
  const child = spawn(BIN, ['-c', file], { env: { apikey_0: 'x'.repeat(32) }, stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  child.stdout.on('data', (d: Buffer) => (log += d.toString()))
  child.stderr.on('data', (d: Buffer) => (log += d.toString()))
  let exited = false
  const closed = new Promise<void>(resolve => child.once('close', () => ((exited = true), resolve())))
  await new Promise(resolve => setTimeout(resolve, 2500))
  const running = !exited
  child.kill('SIGKILL')
  await closed
  return { running, log }
}

describeReal('the real router on what the action writes for a custom-image router', () => {
  const patched = () => {
    const td = exampleTaskDefinition('already-routed.json')
    const router = td.containerDefinitions.find(c => c.firelensConfiguration)!
    router.image = '111122223333.dkr.ecr.us-east-1.amazonaws.com/platform/log-router:2026.11.3'
    router.firelensConfiguration = {
      type: 'fluentbit',
      options: {
        'enable-ecs-log-metadata': 'true',
        'config-file-type': 'file',
        'config-file-value': '/fluent-bit/etc/extra.conf'
      }
    }
    return patchTaskDefinition(td, patchConfig({ logOptions: [['dd_hostname', 'web']] })).taskDefinition
  }

  it('starts and stays up', async () => {
    const routed = patched().containerDefinitions.find(c => c.logConfiguration?.logDriver === 'awsfirelens')!
    const { running, log } = await starts(routerConfig(routed.logConfiguration!.options!))
    expect({
      running,
      errors: log.split('\n').filter(l => /\[error\]/.test(l) && /config|initialization/.test(l))
    }).toEqual({
      running: true,
      errors: []
    })
  }, 20_000)

  it('and the check can fail: a misspelt option stops it', async () => {
    const { running, log } = await starts(routerConfig({ retry_limt: '2' }))
    expect(running).toBe(false)
    expect(log).toContain("unknown configuration property 'retry_limt'")
  }, 20_000)
})
