import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  DATADOG_OUTPUT_SINCE,
  compareVersions,
  formatVersion,
  hasVersion,
  parseVersion,
  routerVersion
} from '../../../src/core/router/router-version.js'

const fluentBit = (image: string): string | undefined => {
  const version = routerVersion(image).fluentBit
  return version === undefined ? undefined : formatVersion(version)
}
const DIGEST = `sha256:${'b'.repeat(64)}`

describe('router version from the image tag', () => {
  it.each([
    ['public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.3', '1.9.10'],
    ['amazon/aws-for-fluent-bit:2.29.0', '1.9.10'],
    ['public.ecr.aws/aws-observability/aws-for-fluent-bit:2.34.3.20260623', '1.9.10'],
    ['public.ecr.aws/aws-observability/aws-for-fluent-bit:init-2.32.3', '1.9.10'],
    ['public.ecr.aws/aws-observability/aws-for-fluent-bit:debug-2.31.12', '1.9.10'],
    ['amazon/aws-for-fluent-bit:2.28.5', '1.9.9'],
    ['amazon/aws-for-fluent-bit:2.23.4', '1.8.15'],
    ['amazon/aws-for-fluent-bit:2.11.0', '1.6.10'],
    ['amazon/aws-for-fluent-bit:2.0.0', '1.3.3'],
    ['amazon/aws-for-fluent-bit:2', '1.9.10'],
    ['amazon/aws-for-fluent-bit:2.21', '1.8.11'],
    ['amazon/aws-for-fluent-bit:1.2.2', '1.2.2'],
    ['public.ecr.aws/aws-observability/aws-for-fluent-bit:3.0.0', '4.1.0'],
    ['public.ecr.aws/aws-observability/aws-for-fluent-bit:3.1.2', '4.1.0'],
    ['public.ecr.aws/aws-observability/aws-for-fluent-bit:3.2.1', '4.2.2'],
    ['public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.5', '5.0.7'],
    ['public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.17', '5.0.9'],
    ['public.ecr.aws/aws-observability/aws-for-fluent-bit:init-3', '5.0.9'],
    ['111122223333.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/aws-observability/aws-for-fluent-bit:2.32.3', '1.9.10'],
    [`public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.17@${DIGEST}`, '5.0.9'],
    ['fluent/fluent-bit:3.1', '3.1'],
    ['cr.fluentbit.io/fluent/fluent-bit:1.9.10-debug', '1.9.10'],
    ['localhost:5000/fluent-bit:2.2.2', '2.2.2']
  ])('%s runs Fluent Bit %s', (image, version) => {
    expect(fluentBit(image)).toBe(version)
  })

  it.each([
    'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
    'public.ecr.aws/aws-observability/aws-for-fluent-bit:latest',
    'public.ecr.aws/aws-observability/aws-for-fluent-bit:init-latest',
    'public.ecr.aws/aws-observability/aws-for-fluent-bit',
    `public.ecr.aws/aws-observability/aws-for-fluent-bit@${DIGEST}`,
    'public.ecr.aws/aws-observability/aws-for-fluent-bit:4.0.0',
    'fluent/fluent-bit:latest',
    'fluent/fluent-bit',
    '111122223333.dkr.ecr.us-east-1.amazonaws.com/acme/log-router:1.9.10',
    'localhost:5000/router:2.32.3',
    ''
  ])('%s: the version is unknown', image => {
    expect(fluentBit(image)).toBeUndefined()
  })

  it('says which image line it read, and that aws-for-fluent-bit 2.x is end of life', () => {
    expect(routerVersion('amazon/aws-for-fluent-bit:2.32.3')).toEqual({
      image: 'aws-for-fluent-bit',
      fluentBit: [1, 9, 10],
      evidence: 'aws-for-fluent-bit 2.32.3 bundles Fluent Bit 1.9.10',
      endOfLife: '2026-06-30'
    })
    expect(routerVersion('amazon/aws-for-fluent-bit:3.4.17').endOfLife).toBeUndefined()
    expect(routerVersion('acme/router:1').image).toBe('unknown')
    expect(routerVersion('fluent/fluent-bit:5.0').image).toBe('fluent-bit')
  })

  it('the datadog output exists since Fluent Bit 1.3.0: aws-for-fluent-bit 1.2.x lacks it, 2.0.0 has it', () => {
    expect(hasVersion(routerVersion('amazon/aws-for-fluent-bit:1.2.2').fluentBit!, DATADOG_OUTPUT_SINCE)).toBe(false)
    expect(hasVersion(routerVersion('amazon/aws-for-fluent-bit:2.0.0').fluentBit!, DATADOG_OUTPUT_SINCE)).toBe(true)
    expect(hasVersion(routerVersion('fluent/fluent-bit:1.3').fluentBit!, DATADOG_OUTPUT_SINCE)).toBe(true)
    expect(hasVersion(routerVersion('fluent/fluent-bit:1.2').fluentBit!, DATADOG_OUTPUT_SINCE)).toBe(false)
  })
})

describe('versions', () => {
  const version = fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 4 })

  it('parse and format are inverse', () => {
    fc.assert(fc.property(version, v => expect(parseVersion(formatVersion(v))).toEqual(v)))
    expect(parseVersion('1.9.x')).toBeUndefined()
    expect(parseVersion('latest')).toBeUndefined()
  })

  it('compare is a total order consistent with equality of padded versions', () => {
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        expect(compareVersions(a, b) + compareVersions(b, a)).toBe(0)
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0)
          expect(compareVersions(a, c)).toBeLessThanOrEqual(0)
      })
    )
    expect(compareVersions([1, 9], [1, 9, 0])).toBe(0)
    expect(compareVersions([1, 10], [1, 9, 10])).toBe(1)
  })

  it('a full version has what shipped at or before it; a floating line has what any of its releases has', () => {
    fc.assert(
      fc.property(version, version, (v, since) => {
        if (v.length >= since.length) expect(hasVersion(v, since)).toBe(compareVersions(v, since) >= 0)
        // A line is never behind any release of that line.
        expect(hasVersion(v.slice(0, 2), v)).toBe(true)
      })
    )
    expect(hasVersion([3, 1], [3, 1, 9])).toBe(true)
    expect(hasVersion([3, 0], [3, 1, 0])).toBe(false)
  })
})
