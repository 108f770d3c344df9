import { NodeHttpHandler } from '@smithy/node-http-handler'

/** Bounds on every AWS call, so a hanging endpoint fails the step in well under two minutes, not after six hours. */
export const AWS_TIMEOUTS = {
  connectionTimeoutMs: 5_000,
  // In @smithy/node-http-handler 4.x requestTimeout alone only logs a warning; throwOnRequestTimeout makes it abort.
  requestTimeoutMs: 10_000,
  maxAttempts: 3
} as const

/** Client settings shared by the ECS, SSM and Secrets Manager clients. */
export function clientConfig(region: string) {
  return {
    region,
    maxAttempts: AWS_TIMEOUTS.maxAttempts,
    retryMode: 'standard' as const,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: AWS_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: AWS_TIMEOUTS.requestTimeoutMs,
      throwOnRequestTimeout: true
    })
  }
}
