// One deployed service as the verify e2e tests and the bench seed it into the loopback fake: the revision web:7
// (patched like the main action patches it), its tasks, the router's CloudWatch stream and the Datadog records.
// Plain ESM (types in verify-scenario.d.mts), so the bench can use it without a build.

export const ACCOUNT = '111122223333'
export const REGION = 'us-east-1'
export const CLUSTER = 'prod'
export const SERVICE = 'checkout'
export const FAMILY = 'web'
export const REVISION = 7
export const TD_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${FAMILY}:${REVISION}`
export const EXECUTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`
export const ROUTER_GROUP = '/ecs/web/log-router'
export const API_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
export const APP_KEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c'
export const API_KEY_PARAMETER = '/prod/DATADOG_API_KEY'
export const APP_KEY_PARAMETER = '/prod/DATADOG_APP_KEY'
export const AP1 = 'ap1.datadoghq.com'

export const taskArn = id => `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${CLUSTER}/${id}`
export const routerStream = id => `firelens/log-router/${id}`

/** web:7 as the main action writes it: datadog output for AP1 with provider ecs, the router logging to CloudWatch. */
export function taskDefinition({ routerLog = true } = {}) {
  return {
    family: FAMILY,
    revision: REVISION,
    taskDefinitionArn: TD_ARN,
    executionRoleArn: EXECUTION_ROLE,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: 'web',
        image: 'nginx:1.27',
        essential: true,
        logConfiguration: {
          logDriver: 'awsfirelens',
          options: {
            Name: 'datadog',
            Host: 'http-intake.logs.ap1.datadoghq.com',
            TLS: 'on',
            compress: 'gzip',
            provider: 'ecs',
            dd_service: 'web',
            dd_message_key: 'log'
          },
          secretOptions: [{ name: 'apikey', valueFrom: API_KEY_PARAMETER }]
        }
      },
      {
        name: 'log-router',
        image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.8',
        essential: true,
        memoryReservation: 50,
        firelensConfiguration: { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'true' } },
        ...(routerLog
          ? {
              logConfiguration: {
                logDriver: 'awslogs',
                options: {
                  'awslogs-group': ROUTER_GROUP,
                  'awslogs-region': REGION,
                  'awslogs-stream-prefix': 'firelens'
                }
              }
            }
          : {})
      }
    ]
  }
}

/** A task of web:7 in the service; started `upMs` ago. */
export function runningTask(id, upMs, now = Date.now()) {
  return {
    id,
    taskDefinitionArn: TD_ARN,
    service: SERVICE,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    createdAt: now - upMs - 20_000,
    startedAt: now - upMs,
    containers: [
      { name: 'web', image: 'nginx:1.27', runtimeId: `${id}-web` },
      {
        name: 'log-router',
        image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.8',
        runtimeId: `${id}-router`
      }
    ]
  }
}

/** A record as the router sends it (provider ecs): the tags Datadog indexes. */
export function record(id, at, extra = {}) {
  return {
    timestamp: at,
    service: 'web',
    message: 'GET /health 200',
    tags: [
      `container_name:web`,
      `cluster_name:${CLUSTER}`,
      `task_arn:${taskArn(id)}`,
      `task_family:${FAMILY}`,
      `task_version:${REVISION}`,
      'env:prod'
    ],
    ...extra
  }
}

/**
 * The fake for one deployed service; `tasks` default to one task up for two minutes.
 * @param {import('./verify-scenario.d.mts').ScenarioOptions} [opts]
 * @returns {import('./fake-aws.d.mts').FakeAwsOptions}
 */
export function scenario(opts = {}) {
  const now = Date.now()
  const tasks = opts.tasks ?? [runningTask('0a1b2c3d4e5f', 120_000, now)]
  const withRouterLog = opts.routerLog ?? true
  const streams = {}
  if (withRouterLog) {
    for (const t of tasks) {
      // Fluent Bit's banner: info lines, printed at every start; nothing else when delivery works.
      streams[routerStream(t.id)] = [
        { timestamp: (t.startedAt ?? now) + 100, message: '[2026/11/25 10:00:00] [ info] [fluent bit] version=4.1.1' },
        {
          timestamp: (t.startedAt ?? now) + 200,
          message: '[2026/11/25 10:00:00] [ info] [output:datadog:datadog.0] worker #0 started'
        }
      ]
    }
    for (const [stream, lines] of Object.entries(opts.routerLines ?? {}))
      streams[stream] = [...(streams[stream] ?? []), ...lines]
  }
  return {
    parameters: { [API_KEY_PARAMETER]: API_KEY, [APP_KEY_PARAMETER]: APP_KEY },
    validKeysByDomain: opts.keys ?? { [AP1]: [API_KEY] },
    applicationKeysByDomain: { [AP1]: [APP_KEY] },
    clusters: {
      [CLUSTER]: {
        services: {
          [SERVICE]: {
            taskDefinition: TD_ARN,
            desiredCount: 1,
            deploymentCreatedAt: opts.deploymentCreatedAt ?? now - 10 * 60_000
          }
        },
        tasks
      }
    },
    taskDefinitions: [opts.taskDefinition ?? taskDefinition({ routerLog: withRouterLog })],
    ...(withRouterLog ? { logGroups: { [ROUTER_GROUP]: streams } } : {}),
    datadogLogs: { [AP1]: opts.datadog ?? [] }
  }
}
