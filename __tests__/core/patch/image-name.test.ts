import { describe, expect, it } from '@jest/globals'
import { isAgentImage, isFluentBitImage, repositorySegments } from '../../../src/core/patch/image-name.js'

const DIGEST = `sha256:${'a'.repeat(64)}`

describe('image names', () => {
  it('splits the repository path without tag or digest, keeping a registry port', () => {
    expect(repositorySegments('registry.example.com:5000/mirror/Datadog/agent:7.85.0')).toEqual([
      'registry.example.com:5000',
      'mirror',
      'datadog',
      'agent'
    ])
    expect(repositorySegments(`datadog/agent:7@${DIGEST}`)).toEqual(['datadog', 'agent'])
    expect(repositorySegments(`datadog/agent@${DIGEST}`)).toEqual(['datadog', 'agent'])
  })

  it.each([
    'datadog/agent',
    'datadog/agent:7',
    'public.ecr.aws/datadog/agent:7.80.1',
    'gcr.io/datadoghq/agent:7',
    '111122223333.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/datadog/agent:7.85.0',
    'acme.jfrog.io/docker-remote/datadog/agent:latest',
    '111122223333.dkr.ecr.us-east-1.amazonaws.com/datadog-agent:7.85.0',
    'registry.example.com:5000/mirrors/datadog-agent',
    `datadog/agent@${DIGEST}`,
    `artifactory.acme.io/datadoghq/agent:7@${DIGEST}`
  ])('recognises the Datadog Agent in %s', image => {
    expect(isAgentImage(image)).toBe(true)
  })

  it.each([
    'acme/datadog-agent-proxy:1',
    'datadog/cluster-agent:7',
    'datadog/agent-sidecar:1',
    'acme/agent:7',
    'agent:7',
    'datadog/dogstatsd:7'
  ])('does not take %s for the Agent', image => {
    expect(isAgentImage(image)).toBe(false)
  })

  it.each([
    'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.8',
    'amazon/aws-for-fluent-bit:stable',
    '906394416424.dkr.ecr.us-east-1.amazonaws.com/aws-for-fluent-bit:2.32.5',
    'fluent/fluent-bit:3.1',
    'cr.fluentbit.io/fluent/fluent-bit:4.0.3',
    `acme.jfrog.io/docker/fluent/fluent-bit@${DIGEST}`
  ])('recognises Fluent Bit in %s', image => {
    expect(isFluentBitImage(image)).toBe(true)
  })

  it.each(['fluent/fluentd:v1.16-1', 'acme/log-router:1', 'fluent-bit-config:1', ''])(
    'does not take %j for Fluent Bit',
    image => {
      expect(isFluentBitImage(image)).toBe(false)
    }
  )
})
