// Types for fake-aws.mjs (a loopback AWS JSON 1.1 + Datadog validate server for tests and the bench).

export interface FakeAwsOptions {
  /** SSM parameter name (or ARN) -> value. Every parameter behaves as a SecureString. */
  parameters?: Record<string, string>
  /** Secrets Manager secret ARN or name -> SecretString. */
  secrets?: Record<string, string>
  /** API keys that GET /api/v1/validate accepts on this fake ("site"). */
  validKeys?: string[]
  /**
   * Site domain (e.g. 'datadoghq.eu') -> the API keys GET /<domain>/api/v1/validate accepts, so one fake plays every
   * Datadog site: point DATADOG_FIRELENS_API_URL_TEMPLATE at `${url}/{domain}`. A domain not listed accepts no key.
   */
  validKeysByDomain?: Record<string, string[]>
  /** Default: arn:aws:ecs:<region>:111122223333:task-definition/ */
  taskDefinitionArnPrefix?: string
  /**
   * Parameters of other accounts shared with this one (111122223333) through AWS RAM: full ARN -> value. GetParameter
   * reads them by that ARN only; DescribeParameters lists them only with `Shared: true` (their ARN names the owner).
   */
  sharedParameters?: Record<string, string>
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  tls?: { key: string; cert: string }
}

export type Fault =
  | { kind: 'throttle' }
  | { kind: 'accessDenied'; message?: string }
  | { kind: 'serverError'; status?: number }
  | { kind: 'hang' }
  | { kind: 'clientException'; message: string }
  | { kind: 'notFound' }
  /** An HTML page (a proxy's login page, a captive portal) instead of AWS's answer; default status 200. */
  | { kind: 'html'; status?: number }
  /** ECS.RegisterTaskDefinition only: registers, then answers 200 without `taskDefinitionArn`. */
  | { kind: 'noArn' }
  /** The normal answer's headers at once, then its body one byte every intervalMs (default 2000). */
  | { kind: 'trickle'; intervalMs?: number }

export interface FakeAwsCall {
  /** 'ECS.RegisterTaskDefinition', 'SSM.GetParameter', 'SSM.DescribeParameters', 'SecretsManager.DescribeSecret',
   * 'SecretsManager.GetSecretValue', 'Datadog.validate' (anything else: the raw X-Amz-Target or 'METHOD /path') */
  target: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
  /** Lower-cased header names. */
  headers: Record<string, string>
  /** Datadog.validate through /<domain>/api/v1/validate only: the site domain of the path. */
  domain?: string
}

export interface FakeAws {
  /** http(s)://127.0.0.1:<port>: use as AWS_ENDPOINT_URL / the client's endpoint, and as a Datadog API base URL. */
  url: string
  port: number
  calls: FakeAwsCall[]
  /** The RegisterTaskDefinition request bodies, in order. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  registered: any[]
  /** Queue faults for a target; each call to that target consumes one, then behaviour is normal again. */
  fault(target: string, ...responses: Fault[]): void
  /** Stops listening and destroys open sockets (hung requests included). */
  close(): Promise<void>
}

export function startFakeAws(opts?: FakeAwsOptions): Promise<FakeAws>
