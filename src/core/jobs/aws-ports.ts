import type { RoleFacts, Simulation } from '../checks/roles.js'
import type { DeploymentFacts, ServiceEvent } from '../diagnose/deployment.js'
import type { TaskFacts } from '../checks/task-facts.js'
import type { TaskDefinition } from '../definition/task-definition.js'
import type { SecretRef } from '../secret-ref.js'
import type { DescribedTaskDefinition } from '../verify/revision-facts.js'
import type { RouterLogRead } from '../verify/watch.js'

// What the jobs need from AWS, as interfaces the shells fill with src/adapters/aws/ (the lazy facades). Every failure
// is already a UserError naming the endpoint, the IAM action and the fix; no credentials at all is a
// MissingCredentialsError, and a call cut short by the job's own deadline a DeadlineReached.

/** What DescribeParameters says about a parameter: never its value. */
export interface ParameterMetadata {
  type?: string
  /** The full ARN, whose account is where SSM found it. */
  arn?: string
  /** The KMS key of a SecureString, as SSM reports it: `alias/aws/ssm`, a key id, a key ARN or an alias. */
  keyId?: string
}

/** What DescribeSecret says about a secret: never its value. */
export interface SecretMetadata {
  deleted: boolean
  /** The secret's full ARN (with its 6-character suffix). */
  arn?: string
  /** The customer-managed KMS key; Secrets Manager omits it for the AWS-managed key aws/secretsmanager. */
  kmsKeyId?: string
}

/** The AWS calls of the patch job, each loading its SDK client on first use: a run that makes none loads no SDK. */
export interface PatchAws {
  /** Starts loading the ECS client, so it compiles while other calls are in flight. */
  preloadRegistration(): void
  registerTaskDefinition(taskDefinition: TaskDefinition, file: string): Promise<string>
  /**
   * Metadata only (type, ARN, KMS key id), or undefined when there is none. Looked up once per run: verify-secret
   * and verify-roles share the answer.
   */
  describeParameter(name: string, region: string): Promise<ParameterMetadata | undefined>
  /** Metadata only: a parameter another account shares with this one, by its full ARN. Looked up once per run. */
  describeSharedParameter(arn: string, name: string, region: string): Promise<ParameterMetadata | undefined>
  /** The account the calls run in, from the ARN of any of its SSM parameters. */
  parameterAccount(region: string): Promise<string | undefined>
  /** Metadata only (deleted, ARN, KMS key id), or undefined when there is none. Looked up once per run. */
  describeSecret(secretId: string, region: string): Promise<SecretMetadata | undefined>
  /** The decrypted key, only for `validate-api-key`. */
  readApiKey(ref: SecretRef): Promise<string>
  /** The role's ARN and trust policy (iam:GetRole by name); undefined when there is no such role. */
  getRole(name: string): Promise<RoleFacts | undefined>
  /** The account the workflow's credentials belong to (sts:GetCallerIdentity, no permission needed). Asked once. */
  callerAccount(): Promise<string>
  /** Whether a CloudWatch Logs group exists in the region (logs:DescribeLogGroups, metadata only). */
  logGroupExists(group: string, region: string): Promise<boolean>
  /** iam:SimulatePrincipalPolicy of one action on one resource; undefined when there is no such role. */
  simulatePrincipalPolicy(roleArn: string, action: string, resource: string): Promise<Simulation | undefined>
}

export interface ServiceFacts {
  name: string
  status: string
  desiredCount: number
  /** The PRIMARY deployment: the revision the service is moving to. */
  primary?: { taskDefinition: string; createdAt?: number; rolloutState?: string }
  /** Every deployment listed (PRIMARY, ACTIVE …), for a failed one the circuit breaker rolled back. */
  deployments: DeploymentFacts[]
  /** The service's recent events, newest first (ECS keeps the last 100). */
  events: ServiceEvent[]
}

export interface TaskFilter {
  cluster: string
  serviceName?: string
  family?: string
  desiredStatus: 'RUNNING' | 'STOPPED'
}

/** The read-only AWS calls of the verify job; `signal` aborts them when the job's time is up. */
export interface VerifyAws {
  /** Starts loading the ECS client, so it compiles while the inputs are read. */
  preload(): void
  /** The service and its primary deployment; undefined when the cluster has no such service. */
  describeService(
    cluster: string,
    service: string,
    region: string,
    signal: AbortSignal
  ): Promise<ServiceFacts | undefined>
  /** The task definition (ARN, family:revision or family for the latest ACTIVE revision). */
  describeTaskDefinition(taskDefinition: string, region: string, signal: AbortSignal): Promise<DescribedTaskDefinition>
  /** The ARNs of the tasks that match, every page. */
  listTaskArns(filter: TaskFilter, region: string, signal: AbortSignal): Promise<string[]>
  describeTasks(cluster: string, arns: readonly string[], region: string, signal: AbortSignal): Promise<TaskFacts[]>
  /** The events of one CloudWatch Logs stream from `startTime` on, oldest first; CloudWatch Logs loads on first use. */
  readLogEvents(
    where: { group: string; stream: string; startTime: number },
    region: string,
    signal: AbortSignal
  ): Promise<RouterLogRead>
  /**
   * The key in the secret `ref` (untrimmed), for the input named `input`: a missing secret is a UserError saying
   * so, a call cut short by `signal` a DeadlineReached.
   */
  readKey(ref: SecretRef, region: string, input: string, signal: AbortSignal): Promise<string>
}
