// Types for fake-aws.mjs (a loopback AWS JSON 1.1 + IAM query protocol + Datadog validate server for tests and the
// bench).

/** An IAM policy statement, as in a policy document (Action or NotAction, Resource or NotResource). */
export interface FakePolicyStatement {
  Effect: 'Allow' | 'Deny'
  Action?: string | string[]
  NotAction?: string | string[]
  Resource?: string | string[]
  NotResource?: string | string[]
  /** A statement with a Condition never matches in a simulation; its keys are reported as MissingContextValues. */
  Condition?: Record<string, Record<string, unknown>>
}

/** A role in the fake's account 111122223333. */
export interface FakeRole {
  /** Default '/'; the ARN is arn:aws:iam::111122223333:role<path><name>. */
  path?: string
  /** AssumeRolePolicyDocument: an object, or JSON text (kept as is, so a test can seed a broken one). */
  trustPolicy: unknown
  /**
   * Identity-based policies attached to the role, by policy name: what SimulatePrincipalPolicy evaluates (an explicit
   * Deny wins, then an Allow; else implicitDeny).
   */
  policies?: Record<string, FakePolicyStatement[] | { Version?: string; Statement: FakePolicyStatement[] }>
}

export interface FakeAwsOptions {
  /** SSM parameter name (or ARN) -> value. Every parameter behaves as a SecureString. */
  parameters?: Record<string, string>
  /** SSM parameter name (or ARN) -> its KeyId in DescribeParameters. Default alias/aws/ssm. */
  parameterKeyIds?: Record<string, string>
  /** Secrets Manager secret ARN or name -> SecretString. */
  secrets?: Record<string, string>
  /** Secret ARN or name (a key of `secrets`) -> KmsKeyId in DescribeSecret. Default: none (aws/secretsmanager). */
  secretKmsKeyIds?: Record<string, string>
  /** IAM roles by name, for GetRole and SimulatePrincipalPolicy. A role not listed does not exist (NoSuchEntity). */
  roles?: Record<string, FakeRole>
  /** API keys that GET /api/v1/validate accepts on this fake ("site"). */
  validKeys?: string[]
  /**
   * Site domain (e.g. 'datadoghq.eu') -> the API keys GET /<domain>/api/v1/validate accepts, so one fake plays every
   * Datadog site: point DATADOG_FIRELENS_API_URL_TEMPLATE at `${url}/{domain}`. A domain not listed accepts no key.
   */
  validKeysByDomain?: Record<string, string[]>
  /** Default: arn:aws:ecs:<region>:111122223333:task-definition/ */
  taskDefinitionArnPrefix?: string
}

export type Fault =
  | { kind: 'throttle' }
  | { kind: 'accessDenied'; message?: string }
  | { kind: 'serverError'; status?: number }
  | { kind: 'hang' }
  | { kind: 'clientException'; message: string }
  | { kind: 'notFound' }

export interface FakeAwsCall {
  /** 'ECS.RegisterTaskDefinition', 'SSM.GetParameter', 'SSM.DescribeParameters', 'SecretsManager.DescribeSecret',
   * 'SecretsManager.GetSecretValue', 'IAM.GetRole', 'IAM.SimulatePrincipalPolicy', 'Datadog.validate' (anything else:
   * the raw X-Amz-Target or 'METHOD /path') */
  target: string
  /** JSON services: the parsed JSON body. IAM: the form parameters as sent (e.g. 'ActionNames.member.1'). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
  /** Lower-cased header names. */
  headers: Record<string, string>
  /** Datadog.validate through /<domain>/api/v1/validate only: the site domain of the path. */
  domain?: string
}

export interface FakeAws {
  /** http://127.0.0.1:<port>: use as AWS_ENDPOINT_URL / the client's endpoint, and as a Datadog API base URL. */
  url: string
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
