import { beforeEach, describe, expect, it } from '@jest/globals'
import { PROXY_VARIABLES, withoutEnv } from '../../../__fixtures__/clean-env.js'
import { describeAwsError, type AwsCallContext } from '../../../src/adapters/aws/errors.js'
import { AwsCallError, UserError } from '../../../src/core/errors.js'

const ENDPOINT = 'https://ecs.eu-west-1.amazonaws.com'
const context: AwsCallContext = { action: 'ecs:RegisterTaskDefinition', endpoint: ENDPOINT, region: 'eu-west-1' }
withoutEnv(PROXY_VARIABLES)

/** An error as the SDK's deserializer leaves it: the HTTP answer it could not use is in $response. */
function answered(name: string, message: string, status: number, headers: Record<string, string>, attempts = 1): Error {
  return Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: status, attempts },
    $response: { statusCode: status, headers }
  })
}

describe('describeAwsError: answers that are not from AWS', () => {
  it.each([
    [
      'an HTML page with 200',
      answered('SyntaxError', "Unexpected token '<'", 200, { 'content-type': 'text/html' }),
      'HTTP 200, text/html'
    ],
    [
      'an HTML page with 403',
      answered('SyntaxError', "Unexpected token '<'", 403, { 'content-type': 'text/html' }),
      'HTTP 403, text/html'
    ],
    [
      'a JSON 404 without an AWS request id',
      answered('Unknown', 'UnknownError', 404, { 'content-type': 'application/json' }),
      'HTTP 404, application/json'
    ],
    [
      'plain text',
      answered('SyntaxError', "Unexpected token 'h'", 200, { 'content-type': 'text/plain' }),
      'HTTP 200, text/plain'
    ]
  ])('names %s a non-AWS answer from the endpoint, with no SDK internals', (_what, error, what) => {
    const described = describeAwsError(error, context)
    expect(described.message).toBe(
      `ecs:RegisterTaskDefinition got a non-AWS answer from ${ENDPOINT} (${what}): a proxy or a captive portal answering instead of AWS?`
    )
    expect(described.hint).toContain('HTTPS_PROXY')
    expect(described.text).not.toMatch(/Unexpected token|UnknownError|SyntaxError|\$response/)
  })

  it('counts the attempts of a 502 page (retried as a server error)', () => {
    const error = answered('SyntaxError', "Unexpected token '<'", 502, { 'content-type': 'text/html' }, 3)
    expect(describeAwsError(error, context).message).toContain('(HTTP 502, text/html) after 3 attempts:')
  })

  it("keeps AWS's own errors as they are", () => {
    const error = answered('ClientException', 'Container.image should not be null or empty.', 400, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': 'b7d3c3e8-0000-4000-8000-000000000000'
    })
    expect(describeAwsError(error, context).message).toBe(
      'AWS rejected ecs:RegisterTaskDefinition (ClientException): Container.image should not be null or empty.'
    )
  })

  it('names the proxy it came through, never its credentials', () => {
    process.env.HTTPS_PROXY = 'http://ci-user:s3cr3t-pass@proxy.corp.example:3128'
    const error = answered('SyntaxError', "Unexpected token '<'", 200, { 'content-type': 'text/html' })
    const described = describeAwsError(error, context)
    expect(described.message).toContain(
      `from ${ENDPOINT} through the proxy http://proxy.corp.example:3128 (HTTPS_PROXY)`
    )
    expect(described.text).not.toContain('s3cr3t')
    expect(described.text).not.toContain('ci-user')
  })
})

describe('describeAwsError: the proxy', () => {
  beforeEach(() => {
    process.env.https_proxy = 'http://proxy.corp.example:3128'
  })

  it('says the proxy refused the tunnel, with its status', () => {
    const error = Object.assign(new Error('tunneling socket could not be established, statusCode=403'), {
      name: 'TimeoutError',
      code: 'ECONNRESET',
      $metadata: { attempts: 3 }
    })
    const described = describeAwsError(error, context)
    expect(described.message).toBe(
      `The proxy http://proxy.corp.example:3128 (https_proxy) refused to open a tunnel to ${ENDPOINT} (HTTP 403) for ecs:RegisterTaskDefinition (region eu-west-1) after 3 attempts.`
    )
    expect(described.hint).toContain('NO_PROXY')
  })

  it('says the proxy wants credentials on a 407', () => {
    const error = new Error('tunneling socket could not be established, statusCode=407')
    expect(describeAwsError(error, context).message).toContain('(HTTP 407: it wants credentials')
  })

  it('says the proxy could not be used, with the cause', () => {
    const error = new Error('tunneling socket could not be established, cause=connect ECONNREFUSED 127.0.0.1:3128')
    expect(describeAwsError(error, context).message).toBe(
      'The proxy http://proxy.corp.example:3128 (https_proxy) could not be used (connect ECONNREFUSED 127.0.0.1:3128) for ecs:RegisterTaskDefinition (region eu-west-1).'
    )
  })

  it('names the proxy in a timeout', () => {
    const error = Object.assign(new Error('no complete answer within 10 s'), {
      name: 'TimeoutError',
      $metadata: { attempts: 3 }
    })
    const described = describeAwsError(error, context)
    expect(described.message).toBe(
      `${ENDPOINT} (region eu-west-1) through the proxy http://proxy.corp.example:3128 (https_proxy) did not answer ecs:RegisterTaskDefinition in time after 3 attempts.`
    )
    expect(described.hint).toContain('Each attempt may take 10 s and the whole call 35 s')
  })

  it('goes without a proxy word for an endpoint in NO_PROXY', () => {
    process.env.NO_PROXY = '.amazonaws.com'
    const error = Object.assign(new Error('x'), { name: 'TimeoutError' })
    expect(describeAwsError(error, context).message).toBe(
      `${ENDPOINT} (region eu-west-1) did not answer ecs:RegisterTaskDefinition in time.`
    )
  })
})

describe('describeAwsError: failures before anything is sent', () => {
  it('passes a UserError through as it is', () => {
    const error = new UserError('HTTPS_PROXY is set but is not a proxy URL', 'Fix it.')
    expect(describeAwsError(error, context)).toBe(error)
  })

  it('says a region the SDK refuses is not a region', () => {
    const error = new Error('Region not accepted: region="eu west 1" is not a valid hostname component.')
    const described = describeAwsError(error, { ...context, region: 'eu west 1' })
    expect(described.message).toBe('"eu west 1" is not an AWS region, so ecs:RegisterTaskDefinition cannot be called.')
    expect(described.hint).toContain('AWS_REGION')
  })

  it('says an endpoint override that is not a URL is not one', () => {
    const error = Object.assign(new TypeError('Invalid URL'), { code: 'ERR_INVALID_URL' })
    const described = describeAwsError(error, { ...context, endpoint: 'http://[bad' })
    expect(described.message).toBe(
      'The AWS endpoint http://[bad is not a URL, so ecs:RegisterTaskDefinition cannot be called.'
    )
    expect(described.hint).toContain('AWS_ENDPOINT_URL')
  })

  it('says an endpoint override without a scheme is not a URL, whatever answered it', () => {
    const error = answered('Unknown', 'UnknownError', 404, {})
    expect(describeAwsError(error, { ...context, endpoint: 'localhost:4566' }).message).toBe(
      'The AWS endpoint localhost:4566 is not a URL, so ecs:RegisterTaskDefinition cannot be called.'
    )
  })

  it('says the SDK refused its configuration when there was neither an answer nor a service error', () => {
    const described = describeAwsError(new Error('Cannot load config "use_fips_endpoint"'), context)
    expect(described).toBeInstanceOf(AwsCallError)
    expect(described.message).toBe(
      `ecs:RegisterTaskDefinition could not be sent to ${ENDPOINT} (Error): Cannot load config "use_fips_endpoint"`
    )
    expect(described.hint).toContain('AWS_*')
  })

  it('treats an aborted call like one that did not answer in time', () => {
    const error = Object.assign(new Error('Request aborted'), { name: 'AbortError' })
    expect(describeAwsError(error, context).message).toContain('did not answer ecs:RegisterTaskDefinition in time')
  })
})
