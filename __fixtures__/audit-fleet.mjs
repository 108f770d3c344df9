// Fleets for the audit's e2e tests and the bench, seeded into the loopback fake: a healthy revision as the main action
// writes it, and one revision per kind of finding. Plain ESM (types in audit-fleet.d.mts), so the bench can use it
// without a build.

export const ACCOUNT = '111122223333'
export const REGION = 'us-east-1'
export const API_KEY_PARAMETER = '/prod/DATADOG_API_KEY'
export const ROUTER_IMAGE = 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.17'

export const tdArn = (family, revision) => `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`
export const routerGroup = family => `/ecs/${family}/log-router`

/** The datadog output the main action writes for AP1. */
export function datadogOptions(service, extra = {}) {
  return {
    Name: 'datadog',
    Host: 'http-intake.logs.ap1.datadoghq.com',
    TLS: 'on',
    compress: 'gzip',
    provider: 'ecs',
    dd_message_key: 'log',
    dd_service: service,
    retry_limit: '2',
    ...extra
  }
}

export function router(family, overrides = {}) {
  return {
    name: 'log-router',
    image: ROUTER_IMAGE,
    essential: true,
    memoryReservation: 50,
    firelensConfiguration: { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'true' } },
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': routerGroup(family), 'awslogs-region': REGION, 'awslogs-stream-prefix': 'firelens' }
    },
    ...overrides
  }
}

/** A revision as the main action patches it for AP1: nothing to find. */
export function healthyDefinition(family, revision = 1, { options = {}, routerOverrides = {}, extra = [] } = {}) {
  return {
    family,
    revision,
    taskDefinitionArn: tdArn(family, revision),
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    status: 'ACTIVE',
    containerDefinitions: [
      {
        name: 'app',
        image: 'nginx:1.27',
        essential: true,
        // Unified service tagging, as the main action sets it beside dd_service.
        environment: [{ name: 'DD_SERVICE', value: family }],
        dockerLabels: { 'com.datadoghq.tags.service': family },
        logConfiguration: {
          logDriver: 'awsfirelens',
          options: datadogOptions(family, options),
          secretOptions: [{ name: 'apikey', valueFrom: API_KEY_PARAMETER }]
        }
      },
      ...extra,
      router(family, routerOverrides)
    ]
  }
}

const without = (record, ...names) => Object.fromEntries(Object.entries(record).filter(([k]) => !names.includes(k)))

/**
 * One revision per kind of finding (the kind the audit must report for it): the same mistakes a fleet collects.
 * `gone` is referenced by a service but not registered (DescribeTaskDefinition fails).
 */
export function seededRevisions() {
  const eu = healthyDefinition('eu-api', 3, { options: { Host: 'http-intake.logs.datadoghq.eu' } })
  const us1 = healthyDefinition('default-host', 2)
  us1.containerDefinitions[0].logConfiguration.options = without(datadogOptions('default-host'), 'Host')
  const legacy = healthyDefinition('legacy', 12, {
    routerOverrides: { image: 'amazon/aws-for-fluent-bit:2.32.0' }
  })
  legacy.containerDefinitions[0].logConfiguration = {
    logDriver: 'awsfirelens',
    options: { ...without(datadogOptions('legacy'), 'TLS', 'retry_limit'), apikey: 'f00dfeedf00dfeedf00dfeedf00dfeed' }
  }
  const moving = healthyDefinition('moving', 4, {
    routerOverrides: {
      image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:latest',
      logConfiguration: undefined
    }
  })
  delete moving.containerDefinitions[1].logConfiguration
  const typo = healthyDefinition('typo', 9, { options: { retry_limt: '5', 'tls.verify': 'off' } })
  const plain = {
    family: 'plain',
    revision: 1,
    taskDefinitionArn: tdArn('plain', 1),
    containerDefinitions: [
      {
        name: 'app',
        image: 'nginx:1.27',
        essential: true,
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/plain', 'awslogs-region': REGION } }
      }
    ]
  }
  const sidecar = healthyDefinition('sidecar', 5, {
    extra: [
      {
        name: 'xray',
        image: 'public.ecr.aws/xray/aws-xray-daemon:3.3.12',
        essential: false,
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/xray', 'awslogs-region': REGION } }
      }
    ]
  })
  return {
    healthy: { td: healthyDefinition('healthy', 7), kinds: [] },
    'eu-api': { td: eu, kinds: ['wrong-intake'] },
    'default-host': { td: us1, kinds: ['wrong-intake'] },
    legacy: { td: legacy, kinds: ['tls-off', 'clear-text-key', 'router-image-eol', 'no-retry-limit'] },
    moving: { td: moving, kinds: ['router-image-moving-tag', 'no-router-log'] },
    typo: { td: typo, kinds: ['unknown-option', 'option-value'] },
    plain: { td: plain, kinds: ['no-router'] },
    sidecar: { td: sidecar, kinds: ['not-routed'] }
  }
}

export const GONE_ARN = tdArn('gone', 3)

/** A cluster `prod` with one service per seeded revision, plus `gone` (a revision that cannot be described). */
export function seededFleet(extra = {}) {
  const revisions = seededRevisions()
  const services = Object.fromEntries(
    Object.entries(revisions).map(([name, { td }]) => [name, { taskDefinition: td.taskDefinitionArn }])
  )
  services.gone = { taskDefinition: GONE_ARN }
  return {
    parameters: { [API_KEY_PARAMETER]: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' },
    clusters: { prod: { services }, ...(extra.clusters ?? {}) },
    taskDefinitions: [...Object.values(revisions).map(r => r.td), ...(extra.taskDefinitions ?? [])],
    ...without(extra, 'clusters', 'taskDefinitions')
  }
}

/**
 * `clusters` clusters of `perCluster` services running `revisions` distinct healthy revisions between them (service i
 * of the whole fleet runs revision i mod `revisions`): the bench's fleet, and a healthy fleet for the tests.
 */
export function healthyFleet({ clusters = 2, perCluster = 3, revisions = 2, ...rest } = {}) {
  const definitions = Array.from({ length: revisions }, (_, i) => healthyDefinition(`svc-family-${i}`, 1 + (i % 7)))
  const seeded = {}
  let n = 0
  for (let c = 0; c < clusters; c++) {
    const services = {}
    for (let s = 0; s < perCluster; s++, n++) {
      services[`service-${String(n).padStart(4, '0')}`] = {
        taskDefinition: definitions[n % revisions].taskDefinitionArn
      }
    }
    seeded[`cluster-${c}`] = { services }
  }
  return { clusters: seeded, taskDefinitions: definitions, ...rest }
}
