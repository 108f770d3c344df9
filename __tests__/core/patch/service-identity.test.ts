import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { patchConfig } from '../../../__fixtures__/patch-config.js'
import { patchTaskDefinition } from '../../../src/core/patch/patch-task-definition.js'
import { serviceIdentity } from '../../../src/core/patch/service-identity.js'
import { OptionMap } from '../../../src/core/patch/options.js'
import type { ContainerDefinition, TaskDefinition } from '../../../src/core/definition/task-definition.js'

const LABEL = 'com.datadoghq.tags.service'
const task = (...containers: ContainerDefinition[]): TaskDefinition => ({
  family: 'checkout-prod',
  executionRoleArn: 'arn:aws:iam::111122223333:role/exec',
  networkMode: 'awsvpc',
  containerDefinitions: containers
})
const datadogLog = (options: Record<string, string>) => ({
  logDriver: 'awsfirelens',
  options: { Name: 'datadog', ...options }
})
/** Where the container says its service, after the patch: the option, DD_SERVICE and the label. */
const saidService = (c: ContainerDefinition) => ({
  option: OptionMap.fromRecord(c.logConfiguration?.options).get('dd_service'),
  env: c.environment?.filter(e => e.name === 'DD_SERVICE').map(e => e.value),
  label: c.dockerLabels?.[LABEL]
})
const patchedContainer = (td: TaskDefinition, config = patchConfig(), name = 'app') => {
  const result = patchTaskDefinition(td, config)
  return { ...result, container: result.taskDefinition.containerDefinitions.find(c => c.name === name)! }
}
const everywhere = (service: string) => ({ option: service, env: [service], label: service })

describe("a container's service without the `service` input", () => {
  it('keeps DD_SERVICE from the environment: family checkout-prod, DD_SERVICE checkout-api → checkout-api everywhere', () => {
    const { container, warnings } = patchedContainer(
      task({ name: 'app', image: 'app:1', environment: [{ name: 'DD_SERVICE', value: 'checkout-api' }] })
    )
    expect(saidService(container)).toEqual(everywhere('checkout-api'))
    expect(warnings).toEqual([])
  })

  it('keeps its dd_service option, under any spelling', () => {
    for (const key of ['dd_service', 'DD_SERVICE', 'Dd_Service']) {
      const { container } = patchedContainer(
        task({ name: 'app', image: 'app:1', logConfiguration: datadogLog({ [key]: 'cart' }) })
      )
      expect(saidService(container)).toEqual(everywhere('cart'))
      expect(Object.keys(container.logConfiguration!.options!).filter(k => k.toLowerCase() === 'dd_service')).toEqual([
        key
      ])
    }
  })

  it('keeps its com.datadoghq.tags.service label', () => {
    const { container } = patchedContainer(task({ name: 'app', image: 'app:1', dockerLabels: { [LABEL]: 'cart' } }))
    expect(saidService(container)).toEqual(everywhere('cart'))
  })

  it('falls back to the family only for a container that has none of the three', () => {
    const { container } = patchedContainer(task({ name: 'app', image: 'app:1' }))
    expect(saidService(container)).toEqual(everywhere('checkout-prod'))
  })

  it('decides by option, then DD_SERVICE, then label when they disagree, and warns with the values', () => {
    const all = {
      name: 'app',
      image: 'app:1',
      logConfiguration: datadogLog({ dd_service: 'from-option' }),
      environment: [{ name: 'DD_SERVICE', value: 'from-env' }],
      dockerLabels: { [LABEL]: 'from-label' }
    }
    const three = patchedContainer(task(structuredClone(all)))
    expect(saidService(three.container)).toEqual(everywhere('from-option'))
    expect(three.warnings).toEqual([
      expect.stringMatching(/^app: its service is "from-option".*"from-env".*"from-label"/)
    ])

    const { logConfiguration: _, ...envAndLabel } = structuredClone(all)
    const two = patchedContainer(task(envAndLabel))
    expect(saidService(two.container)).toEqual(everywhere('from-env'))
    expect(two.warnings.join()).toMatch(
      /"from-env" \(DD_SERVICE in its environment\) but "from-label" \(its com\.datadoghq\.tags\.service label\)/
    )
  })

  it('does not warn when the places agree', () => {
    const { warnings } = patchedContainer(
      task({
        name: 'app',
        image: 'app:1',
        environment: [{ name: 'DD_SERVICE', value: 'cart' }],
        dockerLabels: { [LABEL]: 'cart' }
      })
    )
    expect(warnings).toEqual([])
  })

  it('gives each container its own service', () => {
    const { taskDefinition } = patchTaskDefinition(
      task(
        { name: 'api', image: 'api:1', environment: [{ name: 'DD_SERVICE', value: 'checkout-api' }] },
        { name: 'worker', image: 'worker:1', dockerLabels: { [LABEL]: 'checkout-worker' } },
        { name: 'cron', image: 'cron:1' }
      ),
      patchConfig()
    )
    expect(taskDefinition.containerDefinitions.slice(0, 3).map(c => saidService(c).option)).toEqual([
      'checkout-api',
      'checkout-worker',
      'checkout-prod'
    ])
  })

  it('refuses a service with a control character, which would land in the router configuration', () => {
    const td = task({ name: 'app', image: 'app:1', environment: [{ name: 'DD_SERVICE', value: 'api\nMatch *' }] })
    expect(() => patchTaskDefinition(td, patchConfig())).toThrow(
      /The service of containerDefinitions\[app\] \(DD_SERVICE in its environment\) contains a control character \(U\+000A\)/
    )
    expect(() => patchTaskDefinition(td, patchConfig({ service: 'api' }))).not.toThrow()
  })

  it('reads dd_service only from a FireLens log configuration', () => {
    expect(
      serviceIdentity({ name: 'x', logConfiguration: { logDriver: 'awslogs', options: { dd_service: 'no' } } })
    ).toBeUndefined()
  })
})

describe('the `service` input', () => {
  it('wins everywhere, and the change row says which service it replaced', () => {
    const { container, changes, warnings } = patchedContainer(
      task({ name: 'app', image: 'app:1', environment: [{ name: 'DD_SERVICE', value: 'checkout-api' }] }),
      patchConfig({ service: 'checkout' })
    )
    expect(saidService(container)).toEqual(everywhere('checkout'))
    expect(changes.find(c => c.container === 'app')?.detail).toMatch(
      /service "checkout-api" \(from DD_SERVICE in its environment\) replaced by the `service` input "checkout"/
    )
    expect(warnings).toEqual([])
  })

  it('says nothing about replacing when the container had no service or the same one', () => {
    for (const environment of [[], [{ name: 'DD_SERVICE', value: 'checkout' }]]) {
      const { changes } = patchedContainer(
        task({ name: 'app', image: 'app:1', environment }),
        patchConfig({ service: 'checkout' })
      )
      expect(changes.find(c => c.container === 'app')?.detail).not.toMatch(/replaced by the `service` input/)
    }
  })
})

describe('properties', () => {
  const service = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/)
  const app = fc.record(
    {
      option: fc.option(fc.tuple(fc.constantFrom('dd_service', 'DD_SERVICE', 'Dd_Service'), service), {
        nil: undefined
      }),
      env: fc.option(service, { nil: undefined }),
      label: fc.option(service, { nil: undefined }),
      logDriver: fc.constantFrom('awsfirelens', 'awslogs')
    },
    { requiredKeys: ['logDriver'] }
  )
  const build = (apps: { option?: [string, string]; env?: string; label?: string; logDriver: string }[]) =>
    task(
      ...apps.map((a, i): ContainerDefinition => ({
        name: `app${i}`,
        image: 'app:1',
        ...(a.option
          ? {
              logConfiguration:
                a.logDriver === 'awsfirelens'
                  ? datadogLog({ [a.option[0]]: a.option[1] })
                  : { logDriver: 'awslogs', options: { 'awslogs-group': '/x' } }
            }
          : {}),
        ...(a.env ? { environment: [{ name: 'DD_SERVICE', value: a.env }] } : {}),
        ...(a.label ? { dockerLabels: { [LABEL]: a.label } } : {})
      }))
    )

  it('a run without `service` never changes the service a container already has, and says it in all three places', () => {
    fc.assert(
      fc.property(fc.array(app, { minLength: 1, maxLength: 4 }), apps => {
        const { taskDefinition } = patchTaskDefinition(build(apps), patchConfig())
        apps.forEach((a, i) => {
          const option = a.logDriver === 'awsfirelens' ? a.option?.[1] : undefined
          const expected = option ?? a.env ?? a.label ?? 'checkout-prod'
          expect(saidService(taskDefinition.containerDefinitions[i]!)).toEqual(everywhere(expected))
        })
      })
    )
  })

  it('with `service`, every routed container says that service in all three places', () => {
    fc.assert(
      fc.property(fc.array(app, { minLength: 1, maxLength: 4 }), service, (apps, input) => {
        const { taskDefinition } = patchTaskDefinition(build(apps), patchConfig({ service: input }))
        for (const c of taskDefinition.containerDefinitions.filter(c => !c.firelensConfiguration))
          expect(saidService(c)).toEqual(everywhere(input))
      })
    )
  })
})
