// Types for fake-aws.mjs (a loopback AWS JSON 1.1 + IAM query protocol + Datadog API server for tests and the bench).

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
  /**
   * Parameters of other accounts shared with this one (111122223333) through AWS RAM: full ARN -> value. GetParameter
   * reads them by that ARN only; DescribeParameters lists them only with `Shared: true` (their ARN names the owner).
   */
  sharedParameters?: Record<string, string>
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  tls?: { key: string; cert: string }
  /**
   * ECS clusters by name, with their services and tasks (ListTasks, DescribeTasks, DescribeServices). An unknown
   * cluster answers ClusterNotFoundException, an unknown service ServiceNotFoundException (ListTasks) or a MISSING
   * failure (DescribeServices).
   */
  clusters?: Record<string, FakeCluster>
  /** Task definitions DescribeTaskDefinition knows (besides the ones registered through the fake). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  taskDefinitions?: (Record<string, any> & { family: string; revision: number; taskDefinitionArn?: string })[]
  /** CloudWatch Logs: group -> stream -> events (FilterLogEvents; DescribeLogGroups lists the groups, `{}` for an empty one). */
  logGroups?: Record<string, Record<string, FakeLogEvent[]>>
  /** Events per FilterLogEvents page (at most the request's limit). Default 50. */
  logsPageSize?: number
  /**
   * Datadog records per site domain, found by POST /<domain>/api/v2/logs/events/search (the plain
   * /api/v2/logs/events/search route serves the records under '').
   */
  datadogLogs?: Record<string, FakeDatadogRecord[]>
  /** Site domain -> the application keys the logs search accepts there (with an API key of validKeysByDomain). */
  applicationKeysByDomain?: Record<string, string[]>
  /** Application keys the plain /api/v2/logs/events/search route accepts (with an API key of validKeys). */
  applicationKeys?: string[]
  /** Every AWS answer waits this long (a real endpoint's round trip), for the bench. */
  latencyMs?: number
  /**
   * Token buckets per target (e.g. 'ECS.DescribeTaskDefinition'), as ECS throttles: a call that finds its bucket
   * empty gets ThrottlingException (recorded in `throttled`).
   */
  throttle?: Record<string, { perSecond: number; burst: number }>
  /** ListClusters / ListServices answer at most this many per page (ECS may answer fewer than maxResults). */
  ecsPageLimit?: number
  /** Clusters the caller may not read: every ECS call naming one (by name or ARN) gets AccessDeniedException. */
  deniedClusters?: string[]
}

export interface FakeCluster {
  /** Service name -> what DescribeServices shows: the primary deployment's task definition, its creation time. */
  services?: Record<string, FakeService>
  tasks?: FakeTask[]
}

export interface FakeService {
  taskDefinition: string
  desiredCount?: number
  status?: 'ACTIVE' | 'DRAINING' | 'INACTIVE'
  /** Epoch ms of the primary deployment's creation. */
  deploymentCreatedAt?: number
  rolloutState?: 'COMPLETED' | 'IN_PROGRESS' | 'FAILED'
  /** The service's events (DescribeServices answers them newest first); times in epoch ms. */
  events?: { message: string; createdAt: number }[]
  /** Replaces the one PRIMARY deployment built from the fields above (times in epoch ms). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  deployments?: Record<string, any>[]
}

/** A task as seeded: times in epoch ms. The ARN is built from the cluster and `id` unless `taskArn` is given. */
export interface FakeTask {
  taskArn?: string
  id?: string
  taskDefinitionArn: string
  /** The service that started it (its group becomes service:<name>). */
  service?: string
  group?: string
  lastStatus?: string
  desiredStatus?: 'RUNNING' | 'PENDING' | 'STOPPED'
  launchType?: string
  createdAt?: number
  startedAt?: number
  stoppingAt?: number
  stoppedAt?: number
  stopCode?: string
  stoppedReason?: string
  containers?: {
    name: string
    image?: string
    lastStatus?: string
    exitCode?: number
    reason?: string
    runtimeId?: string
  }[]
}

export interface FakeLogEvent {
  /** Epoch ms. */
  timestamp: number
  message: string
  ingestionTime?: number
}

export interface FakeDatadogRecord {
  /** Epoch ms. */
  timestamp: number
  /** e.g. ['task_family:web', 'task_version:7', 'task_arn:arn:aws:ecs:…'] as the router's ddtags make them. */
  tags: string[]
  service?: string
  message?: string
  status?: string
  attributes?: Record<string, unknown>
  /** Not found by a search until this long after it was added (Datadog's indexing delay). */
  delayMs?: number
}

export type Fault =
  | { kind: 'throttle' }
  | { kind: 'accessDenied'; message?: string }
  | { kind: 'serverError'; status?: number }
  | { kind: 'hang' }
  | { kind: 'clientException'; message: string }
  | { kind: 'notFound' }
  /** Datadog.logsSearch only: 429 with X-RateLimit-Reset of this many seconds (default 1). */
  | { kind: 'throttle'; resetSeconds?: number }
  /** An HTML page (a proxy's login page, a captive portal) instead of AWS's answer; default status 200. */
  | { kind: 'html'; status?: number }
  /** ECS.RegisterTaskDefinition only: registers, then answers 200 without `taskDefinitionArn`. */
  | { kind: 'noArn' }
  /** The normal answer's headers at once, then its body one byte every intervalMs (default 2000). */
  | { kind: 'trickle'; intervalMs?: number }

export interface FakeAwsCall {
  /** 'ECS.RegisterTaskDefinition', 'ECS.ListTasks', 'ECS.DescribeTasks', 'ECS.DescribeServices',
   * 'ECS.DescribeTaskDefinition', 'SSM.GetParameter', 'SSM.DescribeParameters', 'SecretsManager.DescribeSecret',
   * 'SecretsManager.GetSecretValue', 'IAM.GetRole', 'IAM.SimulatePrincipalPolicy', 'STS.GetCallerIdentity',
   * 'Logs.FilterLogEvents', 'Logs.DescribeLogGroups',
   * 'Datadog.validate', 'Datadog.logsSearch' (anything else:
   * the raw X-Amz-Target or 'METHOD /path') */
  target: string
  /** JSON services: the parsed JSON body. IAM: the form parameters as sent (e.g. 'ActionNames.member.1'). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
  /** Lower-cased header names. */
  headers: Record<string, string>
  /** Datadog calls through /<domain>/api/…: the site domain of the path. */
  domain?: string
}

export interface FakeAws {
  /** http(s)://127.0.0.1:<port>: use as AWS_ENDPOINT_URL / the client's endpoint, and as a Datadog API base URL. */
  url: string
  port: number
  calls: FakeAwsCall[]
  /** Targets opts.throttle answered with ThrottlingException, in order. */
  throttled: string[]
  /** The RegisterTaskDefinition request bodies, in order. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  registered: any[]
  /** Adds a task to a cluster (created if new), e.g. a replacement task appearing during a run. */
  addTask(cluster: string, task: FakeTask): void
  /** Changes a task (by ARN or id): e.g. PENDING -> RUNNING, or stopped with a reason. */
  setTask(cluster: string, task: string, patch: Partial<FakeTask>): void
  /** Appends events to a stream (group and stream created if new). */
  appendLogEvents(group: string, stream: string, events: FakeLogEvent[]): void
  /** Adds records a site's logs search can find. */
  addDatadogLogs(domain: string, records: FakeDatadogRecord[]): void
  /** Queue faults for a target; each call to that target consumes one, then behaviour is normal again. */
  fault(target: string, ...responses: Fault[]): void
  /** Stops listening and destroys open sockets (hung requests included). */
  close(): Promise<void>
}

export function startFakeAws(opts?: FakeAwsOptions): Promise<FakeAws>

/** The IAM action of each call target the fake answers (e.g. 'ECS.ListServices' → 'ecs:ListServices'). */
export const IAM_ACTION: Record<string, string>
