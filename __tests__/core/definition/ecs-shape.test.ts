import { describe, it, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { renderEcsShape } from '../../../scripts/gen-ecs-shape.mjs'
import { ECS_READ_ONLY_MEMBERS, ECS_ROOT_SHAPE, ECS_SHAPES } from '../../../src/core/definition/ecs-shape.generated.js'

describe('src/core/definition/ecs-shape.generated.ts', () => {
  it('matches the installed @aws-sdk/client-ecs', () => {
    const committed = readFileSync(
      new URL('../../../src/core/definition/ecs-shape.generated.ts', import.meta.url),
      'utf8'
    )
    const rendered = renderEcsShape()
    if (rendered !== committed) {
      // Point at the fix first: the diff of a 250-line table says less than this line does.
      const want = rendered.split('\n')
      const have = committed.split('\n')
      let at = 0
      while (want[at] === have[at]) at++
      throw new Error(
        `src/core/definition/ecs-shape.generated.ts does not match the installed @aws-sdk/client-ecs: run npm run gen:ecs-shape\n` +
          `first difference at line ${at + 1}: ${JSON.stringify(have[at])} → ${JSON.stringify(want[at])}`
      )
    }
  })

  it('defines every shape it refers to', () => {
    const kinds = Object.values(ECS_SHAPES).flatMap(members => Object.values(members))
    const scalar = /^(string|number|boolean|timestamp)$|^map<(string|number|boolean|timestamp)>$/
    const shapes = kinds.map(kind => kind.replace(/(\[\])+$/, '')).filter(kind => !scalar.test(kind))
    expect(Object.keys(ECS_SHAPES)).toEqual(expect.arrayContaining([ECS_ROOT_SHAPE, ...shapes]))
  })

  it('knows the members this action relies on, with their types', () => {
    expect(ECS_SHAPES.ContainerDefinition).toMatchObject({
      name: 'string',
      memoryReservation: 'number',
      essential: 'boolean',
      command: 'string[]',
      environment: 'KeyValuePair[]',
      logConfiguration: 'LogConfiguration',
      firelensConfiguration: 'FirelensConfiguration',
      secrets: 'Secret[]',
      dockerLabels: 'map<string>'
    })
    expect(ECS_SHAPES.RegisterTaskDefinitionRequest).toMatchObject({ cpu: 'string', memory: 'string' })
    expect(ECS_SHAPES.KeyValuePair).toEqual({ name: 'string', value: 'string' })
    expect(ECS_SHAPES.LogConfiguration).toEqual({
      logDriver: 'string',
      options: 'map<string>',
      secretOptions: 'Secret[]'
    })
  })

  it('lists the read-only members of describe output, deleteRequestedAt included, none of them a request member', () => {
    expect(ECS_READ_ONLY_MEMBERS).toEqual(
      expect.arrayContaining([
        'taskDefinitionArn',
        'revision',
        'status',
        'requiresAttributes',
        'compatibilities',
        'registeredAt',
        'registeredBy',
        'deregisteredAt',
        'deleteRequestedAt'
      ])
    )
    for (const member of ECS_READ_ONLY_MEMBERS)
      expect(ECS_SHAPES.RegisterTaskDefinitionRequest).not.toHaveProperty(member)
  })

  it("has numbers only where ECS's API reference says Integer (a Double would need a kind of its own)", () => {
    const numbers = Object.entries(ECS_SHAPES).flatMap(([shape, members]) =>
      Object.entries(members)
        .filter(([, kind]) => kind.startsWith('number'))
        .map(([member]) => `${shape}.${member}`)
    )
    // If an SDK upgrade adds one, check its type in the API reference before adding it here.
    expect(numbers.sort()).toEqual([
      'ContainerDefinition.cpu',
      'ContainerDefinition.memory',
      'ContainerDefinition.memoryReservation',
      'ContainerDefinition.startTimeout',
      'ContainerDefinition.stopTimeout',
      'ContainerRestartPolicy.ignoredExitCodes',
      'ContainerRestartPolicy.restartAttemptPeriod',
      'EFSVolumeConfiguration.transitEncryptionPort',
      'EphemeralStorage.sizeInGiB',
      'HealthCheck.interval',
      'HealthCheck.retries',
      'HealthCheck.startPeriod',
      'HealthCheck.timeout',
      'LinuxParameters.maxSwap',
      'LinuxParameters.sharedMemorySize',
      'LinuxParameters.swappiness',
      'NvidiaMpsAllocation.maxComputePercent',
      'NvidiaMpsAllocation.memory',
      'PortMapping.containerPort',
      'PortMapping.hostPort',
      'S3FilesVolumeConfiguration.transitEncryptionPort',
      'Tmpfs.size',
      'Ulimit.hardLimit',
      'Ulimit.softLimit'
    ])
  })
})
