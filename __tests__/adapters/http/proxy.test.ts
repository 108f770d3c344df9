import { describe, expect, it } from '@jest/globals'
import { PROXY_VARIABLES, withoutEnv } from '../../../__fixtures__/clean-env.js'
import { userErrorText } from '../../../__fixtures__/user-error.js'
import { describeProxy, proxyAgentFor, proxyFor } from '../../../src/adapters/http/proxy.js'

withoutEnv(PROXY_VARIABLES)

const route = (target: string): string | undefined => {
  const found = proxyFor(new URL(target))
  return found && describeProxy(found)
}

describe('proxyFor: the runner proxy variables', () => {
  it('goes direct when no proxy is set', () => {
    expect(route('https://ecs.eu-west-1.amazonaws.com')).toBeUndefined()
  })

  it('takes HTTPS_PROXY for https targets and HTTP_PROXY for http ones', () => {
    process.env.HTTPS_PROXY = 'http://secure.proxy:3128'
    process.env.HTTP_PROXY = 'http://plain.proxy:8080'
    expect(route('https://ecs.eu-west-1.amazonaws.com')).toBe('http://secure.proxy:3128 (HTTPS_PROXY)')
    expect(route('http://aws.fake.test:4566')).toBe('http://plain.proxy:8080 (HTTP_PROXY)')
  })

  it('prefers the lower-case variable, as the runner and @actions/http-client do', () => {
    process.env.https_proxy = 'http://lower.proxy:1'
    process.env.HTTPS_PROXY = 'http://upper.proxy:2'
    expect(route('https://ssm.us-east-1.amazonaws.com')).toBe('http://lower.proxy:1 (https_proxy)')
  })

  it.each([
    ['an exact host', 'ecs.eu-west-1.amazonaws.com'],
    ['a domain suffix', 'amazonaws.com'],
    ['a leading-dot suffix', '.amazonaws.com'],
    ['a host and port', 'ecs.eu-west-1.amazonaws.com:443'],
    ['a wildcard', '*'],
    ['any case, among others, with spaces', 'example.org, AMAZONAWS.COM']
  ])('goes direct for a NO_PROXY entry that is %s', (_what, noProxy) => {
    process.env.HTTPS_PROXY = 'http://proxy.corp:3128'
    process.env.NO_PROXY = noProxy
    expect(route('https://ecs.eu-west-1.amazonaws.com')).toBeUndefined()
    expect(route('https://api.datadoghq.com')).toBe(
      noProxy === '*' ? undefined : 'http://proxy.corp:3128 (HTTPS_PROXY)'
    )
  })

  it('never proxies loopback', () => {
    process.env.HTTP_PROXY = 'http://proxy.corp:3128'
    expect(route('http://127.0.0.1:4566')).toBeUndefined()
    expect(route('http://localhost:4566')).toBeUndefined()
    expect(route('http://[::1]:4566')).toBeUndefined()
  })

  it('refuses a proxy variable that is not a URL instead of silently going direct, without printing it', () => {
    process.env.HTTPS_PROXY = 'http://user:pa ss@[bad'
    const text = userErrorText(() => proxyFor(new URL('https://ecs.eu-west-1.amazonaws.com')))
    expect(text).toContain('HTTPS_PROXY is set but is not a proxy URL')
    expect(text).toContain('http://host:port')
    expect(text).not.toContain('pa ss')
  })

  it('refuses a proxy without a scheme, which @actions/http-client would silently ignore', () => {
    process.env.HTTPS_PROXY = 'proxy.corp:3128'
    expect(userErrorText(() => proxyFor(new URL('https://ecs.eu-west-1.amazonaws.com')))).toContain(
      'Set HTTPS_PROXY to the proxy as http://host:port'
    )
  })

  it('describes a proxy without its credentials', () => {
    process.env.HTTPS_PROXY = 'http://ci:t0ps3cret@proxy.corp:3128'
    expect(route('https://ecs.eu-west-1.amazonaws.com')).toBe('http://proxy.corp:3128 (HTTPS_PROXY)')
  })
})

describe('proxyAgentFor', () => {
  it('has no agent for a direct target', () => {
    expect(proxyAgentFor(new URL('https://ecs.eu-west-1.amazonaws.com'))).toBeUndefined()
  })

  it("gives @actions/http-client's tunnel agent, with the destroy() the AWS SDK needs to take it as an agent", () => {
    process.env.HTTPS_PROXY = 'http://proxy.corp:3128'
    const agent = proxyAgentFor(new URL('https://ecs.eu-west-1.amazonaws.com'))
    expect(agent).toBeDefined()
    expect(typeof agent!.destroy).toBe('function')
    expect((agent as unknown as { proxyOptions: { host: string; port: string } }).proxyOptions).toMatchObject({
      host: 'proxy.corp',
      port: '3128'
    })
    agent!.destroy()
  })
})
