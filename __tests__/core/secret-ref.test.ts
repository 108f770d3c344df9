import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parseSecretRef } from '../../src/core/secret-ref.js'

const SM = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:datadog/api-key-AbCdEf'

describe('parseSecretRef', () => {
  it('reads SSM parameter names, hierarchical and flat, with no region', () => {
    expect(parseSecretRef('/prod/DATADOG_API_KEY')).toEqual({
      kind: 'ssm',
      value: '/prod/DATADOG_API_KEY',
      name: '/prod/DATADOG_API_KEY'
    })
    expect(parseSecretRef('DATADOG_API_KEY')).toEqual({
      kind: 'ssm',
      value: 'DATADOG_API_KEY',
      name: 'DATADOG_API_KEY'
    })
    expect(parseSecretRef('  datadog.api-key_1  ')).toEqual({
      kind: 'ssm',
      value: 'datadog.api-key_1',
      name: 'datadog.api-key_1'
    })
  })

  it('reads SSM ARNs: a hierarchical name keeps its leading slash, a flat one has none', () => {
    const hierarchical = 'arn:aws:ssm:eu-west-1:111122223333:parameter/prod/datadog/API_KEY'
    expect(parseSecretRef(hierarchical)).toEqual({
      kind: 'ssm',
      value: hierarchical,
      name: '/prod/datadog/API_KEY',
      region: 'eu-west-1',
      account: '111122223333'
    })
    const flat = 'arn:aws:ssm:us-gov-west-1:111122223333:parameter/DATADOG_API_KEY'
    expect(parseSecretRef(flat)).toEqual({
      kind: 'ssm',
      value: flat,
      name: 'DATADOG_API_KEY',
      region: 'us-gov-west-1',
      account: '111122223333'
    })
    const gov = 'arn:aws-us-gov:ssm:us-gov-east-1:111122223333:parameter/DATADOG_API_KEY'
    expect(parseSecretRef(gov)).toMatchObject({ kind: 'ssm', name: 'DATADOG_API_KEY', region: 'us-gov-east-1' })
  })

  it('reads Secrets Manager ARNs, with and without json-key:version-stage:version-id', () => {
    expect(parseSecretRef(SM)).toEqual({ kind: 'secretsmanager', value: SM, secretId: SM, region: 'eu-west-1' })
    expect(parseSecretRef(`${SM}:api_key::`)).toEqual({
      kind: 'secretsmanager',
      value: `${SM}:api_key::`,
      secretId: SM,
      region: 'eu-west-1',
      jsonKey: 'api_key'
    })
    expect(parseSecretRef(`${SM}:api_key:AWSPREVIOUS:`)).toMatchObject({ secretId: SM, jsonKey: 'api_key' })
    expect(parseSecretRef(`${SM}:api_key::0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`)).toMatchObject({
      secretId: SM,
      jsonKey: 'api_key'
    })
    expect(parseSecretRef(`${SM}:api_key`)).toMatchObject({ secretId: SM, jsonKey: 'api_key' })
    // No json key, a version stage only: the whole secret.
    const stageOnly = parseSecretRef(`${SM}::AWSCURRENT:`)
    expect(stageOnly).toMatchObject({ kind: 'secretsmanager', secretId: SM, region: 'eu-west-1' })
    expect(stageOnly).not.toHaveProperty('jsonKey')
  })

  it('refuses an ARN with more than the three optional segments', () => {
    expect(parseSecretRef(`${SM}:a:b:c:d`)).toEqual({ problem: 'malformed' })
  })

  it('refuses whitespace and control characters inside an ARN (found by the property below)', () => {
    for (const value of [
      `${SM}:api_key::\u0000/prod/DATADOG_API_KEY`,
      `${SM}:api_key\n::add-mask::x`,
      `${SM}:api key::`,
      `${SM}:api_key:AWS\tCURRENT:`,
      'arn:aws:ssm:eu-west-1:111122223333:parameter/prod/KEY\u0000/prod/DATADOG_API_KEY',
      'arn:aws:ssm:eu-west-1:111122223333:parameter/prod/DATADOG API KEY',
      'arn:aws:ssm:eu-west-1:111122223333:parameter/prod/KEY\r\nnext'
    ]) {
      expect(parseSecretRef(value)).toEqual({ problem: 'malformed' })
    }
  })

  it('recognises an API key pasted instead of a reference, in either case', () => {
    expect(parseSecretRef('0123456789abcdef0123456789abcdef')).toEqual({ problem: 'looks-like-api-key' })
    expect(parseSecretRef('0123456789ABCDEF0123456789ABCDEF')).toEqual({ problem: 'looks-like-api-key' })
    expect(parseSecretRef(' 0123456789abcdef0123456789abcdef\n')).toEqual({ problem: 'looks-like-api-key' })
  })

  it('refuses other ARNs and malformed values', () => {
    for (const value of [
      'arn:aws:s3:::bucket',
      'arn:aws:ssm:eu-west-1:111122223333:parameter',
      'arn:aws:ssm:eu-west-1:1234:parameter/KEY',
      'arn:aws:secretsmanager:eu-west-1:111122223333:secret:',
      '/prod/DATADOG API KEY',
      'my secret',
      'prod//KEY',
      '',
      '   ',
      'KEY;rm -rf /',
      '${{ secrets.DD }}'
    ]) {
      expect(parseSecretRef(value)).toEqual({ problem: 'malformed' })
    }
  })

  it('calls any 32-character hex string an API key', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-fA-F]{32}$/), key => {
        expect(parseSecretRef(key)).toEqual({ problem: 'looks-like-api-key' })
      })
    )
  })

  it('calls any 40-character hex string an application key', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-fA-F]{40}$/), key => {
        expect(parseSecretRef(` ${key}\n`)).toEqual({ problem: 'looks-like-application-key' })
      })
    )
  })

  it('takes hex strings of other lengths for SSM parameter names', () => {
    for (const length of [31, 33, 39, 41, 64]) expect(parseSecretRef('a'.repeat(length))).toHaveProperty('kind', 'ssm')
  })

  it('never takes a value with a control character or a space inside it for a reference', () => {
    const bad = fc.oneof(
      fc.constant(' '),
      fc.integer({ min: 0, max: 0x1f }).map(c => String.fromCharCode(c)),
      fc.constant('\u007f')
    )
    // Pieces of real references, so the generator reaches the ARN and name forms, not only noise.
    const piece = fc.oneof(
      fc.constantFrom(
        '/prod/DATADOG_API_KEY',
        'DATADOG_API_KEY',
        'arn:aws:ssm:eu-west-1:111122223333:parameter/prod/KEY',
        SM,
        `${SM}:api_key::`,
        ':',
        '/'
      ),
      fc.string()
    )
    fc.assert(
      fc.property(piece, bad, piece, (before, ch, after) => {
        const value = `${before}${ch}${after}`
        // Leading and trailing whitespace is trimmed, as an input's trailing newline must be: only what is left counts.
        fc.pre(/[\s\p{Cc}]/u.test(value.trim()))
        expect(parseSecretRef(value)).not.toHaveProperty('kind')
      }),
      { numRuns: 2000 }
    )
  })
})
