import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { userErrorText } from '../../../__fixtures__/user-error.js'
import { apiKeyFromSecret } from '../../../src/core/checks/secret-value.js'

const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:datadog/api-key-AbCdEf'
const KEY = '0123456789abcdef0123456789abcdef'

describe('apiKeyFromSecret: what ECS hands the router', () => {
  it('is the whole value when it is not JSON', () => {
    expect(apiKeyFromSecret(KEY, ARN)).toBe(KEY)
    expect(apiKeyFromSecret(' not json {', ARN)).toBe(' not json {')
    // JSON that is not an object is still a plain value to ECS.
    expect(apiKeyFromSecret('"quoted"', ARN)).toBe('"quoted"')
    expect(apiKeyFromSecret('[1,2]', ARN)).toBe('[1,2]')
  })

  it('is the selected key of a JSON value', () => {
    expect(apiKeyFromSecret(JSON.stringify({ api_key: KEY, other: 'x' }), ARN, 'api_key')).toBe(KEY)
  })

  it('refuses a JSON value without a selected key, naming the key that holds an API key', () => {
    const text = userErrorText(() =>
      apiKeyFromSecret(JSON.stringify({ DD_API_KEY: KEY, DD_APP_KEY: 'a'.repeat(40) }), ARN)
    )
    expect(text).toContain(
      `The Secrets Manager secret ${ARN} (api-key-secret) holds JSON with the keys DD_API_KEY, DD_APP_KEY`
    )
    expect(text).toContain('ECS would hand the whole JSON to the log router')
    expect(text).toContain(`api-key-secret: ${ARN}:DD_API_KEY::`)
  })

  it('suggests a key by its name when no value is shaped like a key, else leaves a placeholder', () => {
    expect(userErrorText(() => apiKeyFromSecret('{"apiKey":"short","host":"x"}', ARN))).toContain(`${ARN}:apiKey::`)
    expect(userErrorText(() => apiKeyFromSecret('{"a":"1","b":"2"}', ARN))).toContain(`${ARN}:<json-key>::`)
  })

  it('lists no key name that could itself be a secret', () => {
    const text = userErrorText(() => apiKeyFromSecret(JSON.stringify({ [KEY]: 'v', name: 'x' }), ARN))
    expect(text).toContain('(2 keys; names not shown)')
    expect(text).not.toContain(KEY)
    expect(text).toContain(`${ARN}:<json-key>::`)
  })

  it('refuses a selected key that is not there, or a value that is not JSON', () => {
    expect(userErrorText(() => apiKeyFromSecret('{"api_key":"x"}', ARN, 'apikey'))).toContain(
      'has no key "apikey"; it holds with the key api_key.'
    )
    expect(userErrorText(() => apiKeyFromSecret(KEY, ARN, 'api_key'))).toContain(
      'is not a JSON object, so the key "api_key" selects nothing'
    )
    expect(userErrorText(() => apiKeyFromSecret('{"api_key":{"v":1}}', ARN, 'api_key'))).toContain(
      'is not a string (object)'
    )
  })

  it('never puts a value in a message, whatever the JSON', () => {
    // Values are 12+ characters drawn so that they cannot appear by chance in the fixed text of a message.
    const secretValue = fc.stringMatching(/^[#%&]{12,40}$/)
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), secretValue, { minKeys: 1, maxKeys: 6 }),
        fc.option(fc.string({ minLength: 1, maxLength: 10 }), { nil: undefined }),
        (json, jsonKey) => {
          let text = ''
          try {
            apiKeyFromSecret(JSON.stringify(json), ARN, jsonKey)
            return
          } catch (error) {
            text = (error as Error & { text?: string }).text ?? String(error)
          }
          for (const value of Object.values(json)) expect(text).not.toContain(value)
        }
      )
    )
  })
})
