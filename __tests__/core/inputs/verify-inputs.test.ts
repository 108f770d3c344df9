import { describe, expect, it } from '@jest/globals'
import { userErrorText } from '../../../__fixtures__/user-error.js'
import { looksLikeKey, readVerifyConfig, secretInputNeedsMask } from '../../../src/core/inputs/verify-inputs.js'

const ENV = { AWS_REGION: 'ap-northeast-1' }
const read = (inputs: Record<string, string>, env: NodeJS.ProcessEnv = ENV) =>
  readVerifyConfig(name => inputs[name] ?? '', env)
const base = { cluster: 'prod', service: 'checkout', site: 'ap1' }

describe('the verify inputs', () => {
  it('reads the minimal inputs with the defaults of verify/action.yml', () => {
    const config = read(base)
    expect(config).toEqual({
      region: 'ap-northeast-1',
      cluster: 'prod',
      service: 'checkout',
      site: { code: 'AP1', domain: 'ap1.datadoghq.com' },
      timeoutMs: 300_000,
      settleMs: 60_000
    })
  })

  it('reads the keys, the revision and the durations', () => {
    const config = read({
      ...base,
      'task-definition-arn': 'arn:aws:ecs:ap-northeast-1:111122223333:task-definition/web:7',
      'api-key-secret': '/prod/DATADOG_API_KEY',
      'application-key-secret': 'arn:aws:secretsmanager:ap-northeast-1:111122223333:secret:dd-app-key-AbCdEf',
      timeout: '10m',
      settle: '0'
    })
    expect(config.taskDefinition).toBe('arn:aws:ecs:ap-northeast-1:111122223333:task-definition/web:7')
    expect(config.apiKeySecret).toMatchObject({ kind: 'ssm', name: '/prod/DATADOG_API_KEY' })
    expect(config.applicationKeySecret).toMatchObject({ kind: 'secretsmanager', region: 'ap-northeast-1' })
    expect(config.timeoutMs).toBe(600_000)
    expect(config.settleMs).toBe(0)
  })

  it('accepts a task definition without a service, as an ARN, family:revision or family', () => {
    for (const td of ['arn:aws:ecs:us-east-1:111122223333:task-definition/web:7', 'web:7', 'web']) {
      expect(read({ cluster: 'prod', site: 'eu1', 'task-definition-arn': td }).taskDefinition).toBe(td)
    }
  })

  it.each([
    [{ ...base, cluster: '' }, 'Input `cluster` is empty.'],
    [{ ...base, cluster: 'prod cluster' }, 'not an ECS cluster name or ARN'],
    [{ ...base, service: 'check/out' }, 'not an ECS service name or ARN'],
    [{ cluster: 'prod', site: 'ap1' }, 'Neither `service` nor `task-definition-arn` is set'],
    [{ ...base, 'task-definition-arn': 'web:seven' }, 'not a task definition ARN or family:revision'],
    [{ ...base, site: 'ap3' }, 'not a Datadog site'],
    [{ ...base, 'application-key-secret': '/prod/APP' }, 'the logs search needs both keys'],
    [{ ...base, 'api-key-secret': 'arn:aws:ssm:bad' }, 'neither an SSM parameter'],
    [{ ...base, timeout: 'soon' }, 'Input `timeout` is "soon"']
  ])('refuses %j', (inputs, message) => {
    expect(userErrorText(() => read(inputs))).toContain(message)
  })

  describe('settle longer than timeout is refused up front', () => {
    const keys = { 'api-key-secret': '/prod/DATADOG_API_KEY', 'application-key-secret': '/prod/DATADOG_APP_KEY' }
    it('without an application key (settle is what the step waits for), the default settle included', () => {
      expect(userErrorText(() => read({ ...base, timeout: '5m', settle: '10m' }))).toBe(
        '`settle` (10m) is longer than `timeout` (5m): the step would always time out before a task could count as settled.\nRaise `timeout` above 10m, or lower `settle` below 5m.'
      )
      expect(userErrorText(() => read({ ...base, timeout: '30s' }))).toContain(
        '`settle` (1m, its default) is longer than `timeout` (30s)'
      )
    })
    it('with an application key, only a settle the user wrote (the default is not used there)', () => {
      expect(read({ ...base, ...keys, timeout: '30s' }).timeoutMs).toBe(30_000)
      // As a runner passes it: the default written out.
      expect(read({ ...base, ...keys, timeout: '30s', settle: '60s' }).timeoutMs).toBe(30_000)
      expect(userErrorText(() => read({ ...base, ...keys, timeout: '30s', settle: '2m' }))).toContain(
        'the two contradict each other (settle is only used without `application-key-secret`)'
      )
    })
    it('accepts settle equal to or shorter than timeout', () => {
      expect(read({ ...base, timeout: '60s', settle: '60s' }).settleMs).toBe(60_000)
      expect(read({ ...base, timeout: '2m', settle: '0' }).settleMs).toBe(0)
    })
  })

  it('needs a region', () => {
    expect(userErrorText(() => read(base, {}))).toContain('No AWS region is set')
    expect(read(base, { AWS_DEFAULT_REGION: 'eu-west-1' }).region).toBe('eu-west-1')
  })

  it('refuses a key pasted in place of its reference, and recognises both kinds of key', () => {
    const apiKey = '0123456789abcdef0123456789abcdef'
    const appKey = '0123456789abcdef0123456789abcdef01234567'
    expect(looksLikeKey(apiKey)).toBe(true)
    expect(looksLikeKey(` ${appKey.toUpperCase()} `)).toBe(true)
    expect(looksLikeKey('/prod/DATADOG_API_KEY')).toBe(false)
    const text = userErrorText(() => read({ ...base, 'api-key-secret': '/k', 'application-key-secret': appKey }))
    expect(text).toContain('looks like a Datadog application key itself')
    expect(text).not.toContain(appKey)
  })

  it('masks and never repeats a secret input that is not a reference, such as a key inside other text', () => {
    const apiKey = '0123456789abcdef0123456789abcdef'
    for (const value of [`team:${apiKey}`, `${apiKey} `, 'not a reference']) {
      expect(secretInputNeedsMask(value)).toBe(true)
      const text = userErrorText(() => read({ ...base, 'api-key-secret': value }))
      expect(text).not.toContain(value.trim())
    }
    expect(secretInputNeedsMask('/prod/DATADOG_API_KEY')).toBe(false)
    expect(secretInputNeedsMask('')).toBe(false)
  })
})
