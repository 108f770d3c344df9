import { isDatadogKey } from './datadog-key.js'

/**
 * The `api-key-secret` input: where ECS reads the Datadog API key from when the task starts. It must be a reference
 * (SSM parameter name or ARN, Secrets Manager ARN), never the key itself.
 */
export type SecretRef =
  | { kind: 'ssm'; value: string; name: string; region?: string; account?: string }
  | { kind: 'secretsmanager'; value: string; secretId: string; region: string; jsonKey?: string }

export type SecretRefProblem = 'looks-like-api-key' | 'looks-like-application-key' | 'malformed'

const SSM_ARN = /^arn:aws[a-z-]*:ssm:([a-z0-9-]+):(\d{12}):parameter(\/[A-Za-z0-9_.\-/]+)$/
// arn:…:secret:<name-with-6-char-suffix>[:json-key:version-stage:version-id], the form ECS accepts in valueFrom.
// The optional segments take no whitespace or control characters: a reference is printed unmasked.
const SM_ARN =
  /^(arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:[A-Za-z0-9/_+=.@-]+)(?::([^:\s\p{Cc}]*)(?::([^:\s\p{Cc}]*)(?::([^:\s\p{Cc}]*))?)?)?$/u
// SSM parameter names: letters, digits and . - _ / (AWS "Creating Systems Manager parameters"), at most 2048.
const SSM_NAME = /^[A-Za-z0-9_.\-/]{1,2048}$/

export function parseSecretRef(input: string): SecretRef | { problem: SecretRefProblem } {
  const value = input.trim()
  if (isDatadogKey(value)) return { problem: value.length === 40 ? 'looks-like-application-key' : 'looks-like-api-key' }
  const ssm = SSM_ARN.exec(value)
  if (ssm) {
    // parameter/prod/KEY names "/prod/KEY"; parameter/KEY names "KEY".
    const path = ssm[3]!.slice(1)
    return { kind: 'ssm', value, name: path.includes('/') ? `/${path}` : path, region: ssm[1]!, account: ssm[2]! }
  }
  const sm = SM_ARN.exec(value)
  if (sm) {
    const jsonKey = sm[4] || undefined
    return { kind: 'secretsmanager', value, secretId: sm[1]!, region: sm[2]!, ...(jsonKey ? { jsonKey } : {}) }
  }
  if (value.startsWith('arn:')) return { problem: 'malformed' }
  if (SSM_NAME.test(value) && !value.includes('//')) {
    return { kind: 'ssm', value, name: value }
  }
  return { problem: 'malformed' }
}
