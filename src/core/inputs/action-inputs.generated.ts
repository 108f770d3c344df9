// Generated from action.yml and verify/action.yml by scripts/gen-inputs.mjs (npm run build, npm run docs): do not
// edit. The CLI takes every input as a flag of the same name, with the same default.

/** One input of an action.yml. */
export interface ActionInput {
  readonly name: string
  readonly required: boolean
  readonly default?: string
  readonly description: string
}

/** One output of an action.yml. */
export interface ActionOutput {
  readonly name: string
  readonly description: string
}

/** The inputs of action.yml, in its order. */
export const PATCH_INPUTS: readonly ActionInput[] = [
  {
    name: 'task-definition',
    required: true,
    description:
      'Path to the task definition file, JSON or YAML. The RegisterTaskDefinition shape (what amazon-ecs-render-task-definition writes) or raw `aws ecs describe-task-definition` output.'
  },
  {
    name: 'site',
    required: true,
    description:
      'The Datadog site: a code (US1, US3, US5, EU1, AP1, AP2, US1-FED, US2-FED, UK1; any case) or a domain (datadoghq.eu, ap1.datadoghq.com, uk1.datadoghq.com, https://app.datadoghq.eu, the intake host). No default, on purpose; a near miss (eu, ap-1, eu1.datadoghq.com) fails with "did you mean" the site it likely meant, never picked for you.'
  },
  {
    name: 'api-key-secret',
    required: true,
    description:
      'The SSM parameter name or ARN, or the Secrets Manager secret ARN, that holds the Datadog API key. Never the key itself.'
  },
  {
    name: 'service',
    required: false,
    description:
      'dd_service, DD_SERVICE and service label of the routed containers. Default: each keeps the service it has (its dd_service, else DD_SERVICE, else the label), else the family.'
  },
  {
    name: 'source',
    required: false,
    description: 'dd_source for the routed containers (e.g. nodejs, python, java).'
  },
  {
    name: 'tags',
    required: false,
    description:
      'Datadog tags, key:value pairs separated by commas and/or newlines; a key may repeat. Merged into dd_tags: the values of a key replace its existing values; other tags are kept.'
  },
  {
    name: 'env',
    required: false,
    description:
      'Unified service tagging: the env. Adds env:<env> to dd_tags and DD_ENV plus the com.datadoghq.tags.env label to routed containers.'
  },
  {
    name: 'version',
    required: false,
    description:
      'Unified service tagging: the version. Adds version:<version> to dd_tags and DD_VERSION plus the com.datadoghq.tags.version label to routed containers.'
  },
  {
    name: 'git-metadata',
    required: false,
    default: 'true',
    description:
      'Add DD_GIT_REPOSITORY_URL and DD_GIT_COMMIT_SHA (and git.* tags) from the workflow context, so Datadog links logs to the code.'
  },
  {
    name: 'containers',
    required: false,
    description:
      "Names of the containers to route, separated by commas and/or newlines. Default: every container except the log router. With `agent`, the Agent's own logs are always routed."
  },
  {
    name: 'log-options',
    required: false,
    description:
      'Extra Fluent Bit datadog output options, one key=value per line (values may contain =; names in any case). Only names the datadog output accepts (e.g. Retry_Limit, compress, dd_message_key, Workers, `tls.*`, `net.*`); not Name, Host, TLS, apikey, Match or Match_Regex (FireLens and the action own them), nor dd_service, dd_source, dd_tags (set `service`, `source`, `tags`). `tls.verify` cannot be turned off, and a value that looks like a Datadog key is refused. Values are checked by type as the router reads them: one it would refuse at start-up (Log_Level verbose, storage.total_limit_size lots, tls.key_file without tls.crt_file) is an error, one it misreads a warning; header Name: value is written Name value. Every bad line is reported in one run.'
  },
  {
    name: 'log-router-image',
    required: false,
    description:
      'Image of the log router. Default for a new router: public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.17 (pinned). An existing router keeps its image unless this is set.'
  },
  {
    name: 'log-router-name',
    required: false,
    default: 'log-router',
    description: 'Name of the log router container, when one is added.'
  },
  {
    name: 'log-router-memory',
    required: false,
    description:
      "memoryReservation of a log router the action adds, in MiB. Empty: 50, or none when 50 MiB does not fit next to what the containers already reserve of the task-level memory (a warning then gives the numbers and the nearest Fargate size). A value you set that does not fit is refused. 0: no reservation (the router shares the task's memory; refused on EC2 without a task-level memory). An existing router's memory is never changed."
  },
  {
    name: 'log-router-log-group',
    required: false,
    description:
      "CloudWatch log group for the log router's own logs (awslogs driver, region from the environment). This is where a Datadog 403 shows up."
  },
  {
    name: 'parse-json',
    required: false,
    default: 'false',
    description:
      'Make the log router parse JSON application logs (config-file-type file, /fluent-bit/configs/parse-json.conf).'
  },
  {
    name: 'multiline',
    required: false,
    default: 'off',
    description:
      'Whole logs: `partial` rejoins lines the container runtime split at 16 KiB; a language (java, python, go, ruby) also joins its stack traces into one event. Per container: `web=java, worker=python` (a bare value is for the other routed containers, `web=off` leaves one out). Adds a short-lived config container and a task volume (see README, Whole logs). Default off.'
  },
  {
    name: 'wait-for-router',
    required: false,
    default: 'false',
    description:
      "Whole logs: start the routed containers only once the log router is HEALTHY (dependsOn HEALTHY, with AWS's uptime health check on the router), so no line written at start-up is lost. Costs about 5 s of start-up. Uses the generated router configuration."
  },
  {
    name: 'log-router-grace',
    required: false,
    description:
      "Whole logs: seconds the log router keeps flushing after the task is told to stop (Fluent Bit Grace, 1 to 115); the router's stopTimeout becomes Grace + 5 s. Empty: 30 whenever the action generates the router configuration (`multiline` or `wait-for-router`), else unchanged."
  },
  {
    name: 'agent',
    required: false,
    default: 'false',
    description: 'Add (or reuse and patch) the Datadog Agent sidecar for APM, DogStatsD and metrics.'
  },
  {
    name: 'agent-image',
    required: false,
    description:
      'Image of the Datadog Agent sidecar. Default for a new agent: public.ecr.aws/datadog/agent:7.84.2 (pinned). An existing agent keeps its image unless this is set.'
  },
  {
    name: 'agent-memory',
    required: false,
    description:
      "memoryReservation of a Datadog Agent sidecar the action adds, in MiB. Empty: 256, or none when 256 MiB does not fit the task-level memory (with a warning); a value you set that does not fit is refused; 0: no reservation (refused on EC2 without a task-level memory). An existing Agent's memory is never changed."
  },
  {
    name: 'register',
    required: false,
    default: 'true',
    description:
      'Register the patched task definition with ECS. false only means "do not register" (when amazon-ecs-deploy-task-definition registers the file): the file is written, task-definition-arn stays empty, and the AWS checks still run whenever an AWS region is set. Without a region nothing calls AWS. The summary says "not registered here: the deploy step registers this file" with a region, "dry run" without one.'
  },
  {
    name: 'verify-secret',
    required: false,
    default: 'true',
    description:
      'Check, by metadata only, that the API key secret exists (needs ssm:DescribeParameters or secretsmanager:DescribeSecret). Runs whenever an AWS region is set, registering or not.'
  },
  {
    name: 'verify-roles',
    required: false,
    default: 'true',
    description:
      "Check, by simulation and never reading the key, that ECS will be able to start the task: the execution role may read the key (and decrypt it with a customer-managed KMS key), and the execution and task roles trust ecs-tasks.amazonaws.com (needs iam:SimulatePrincipalPolicy and iam:GetRole). A role ARN of another account than the workflow's is not checked and warns. Runs whenever an AWS region is set, registering or not."
  },
  {
    name: 'verify-log-groups',
    required: false,
    default: 'true',
    description:
      "Check that the log group of every container that logs with awslogs exists (the router's `log-router-log-group` included): ECS does not start a task whose group is missing. Needs logs:DescribeLogGroups; a missing permission only warns. A container with awslogs-create-group is not looked up (ECS creates it; its execution role needs logs:CreateLogGroup). Runs whenever an AWS region is set, registering or not."
  },
  {
    name: 'validate-api-key',
    required: false,
    default: 'false',
    description:
      'Read the API key and ask the Datadog API whether it is valid on this site (needs ssm:GetParameter with decryption or secretsmanager:GetSecretValue). Runs whenever an AWS region is set, registering or not.'
  }
]

/** The outputs of action.yml, in its order. */
export const PATCH_OUTPUTS: readonly ActionOutput[] = [
  {
    name: 'task-definition',
    description: 'Path of the patched task definition JSON, written under RUNNER_TEMP (never over the input).'
  },
  {
    name: 'task-definition-arn',
    description: 'ARN of the registered task definition revision (empty when this step does not register).'
  }
]

/** The inputs of verify/action.yml, in its order. */
export const VERIFY_INPUTS: readonly ActionInput[] = [
  {
    name: 'cluster',
    required: true,
    description: 'The ECS cluster (name or ARN).'
  },
  {
    name: 'service',
    required: false,
    description:
      "The ECS service. Required unless `task-definition-arn` is set; with it, only this service's tasks are checked. When its latest deployment failed (the circuit breaker rolled it back), the step fails naming the failed revision, the rollback and ECS's reason."
  },
  {
    name: 'task-definition-arn',
    required: false,
    description:
      "The revision to verify: an ARN (e.g. the main action's `task-definition-arn` output) or family:revision. Default: the service's primary deployment."
  },
  {
    name: 'site',
    required: true,
    description:
      'The Datadog site, as in the main action: a code (US1, US3, US5, EU1, AP1, AP2, US1-FED, US2-FED, UK1; any case) or a domain.'
  },
  {
    name: 'api-key-secret',
    required: false,
    description:
      'The SSM parameter name or ARN, or the Secrets Manager secret ARN, that holds the Datadog API key. Needed for the search; also used to name the site a key belongs to when the router gets HTTP 403.'
  },
  {
    name: 'application-key-secret',
    required: false,
    description:
      "The SSM parameter or Secrets Manager secret that holds a Datadog application key with the logs_read_data scope. Enables the positive proof: a search for the revision's logs."
  },
  {
    name: 'timeout',
    required: false,
    default: '5m',
    description: 'How long to wait in all, e.g. 5m, 300s or 300 (seconds).'
  },
  {
    name: 'settle',
    required: false,
    default: '60s',
    description:
      'Without an application key: how long a task must run without router errors to count, e.g. 60s. Longer than `timeout` is refused up front.'
  }
]

/** The outputs of verify/action.yml, in its order. */
export const VERIFY_OUTPUTS: readonly ActionOutput[] = [
  {
    name: 'result',
    description:
      '`delivered` (a Datadog search found the logs) or `no-errors-seen` (a task ran `settle` without router errors); the step fails otherwise.'
  },
  {
    name: 'task-arn',
    description: 'The ARN of the task the result is about.'
  },
  {
    name: 'logs-url',
    description:
      "A Datadog Logs explorer link for the revision's logs (task_family and task_version), from the first task's start."
  }
]
