import { describe, expect, it } from '@jest/globals'
import { exampleTaskDefinition, patchConfig } from '../../../__fixtures__/patch-config.js'
import { clearTextKeyValues, findClearTextKeys } from '../../../src/core/patch/clear-text-keys.js'
import { patchTaskDefinition } from '../../../src/core/patch/patch-task-definition.js'
import { serializeTaskDefinition, type TaskDefinition } from '../../../src/core/definition/task-definition.js'

const KEY_A = 'aaaa1111aaaa1111aaaa1111aaaa1111'
const KEY_B = 'bbbb2222bbbb2222bbbb2222bbbb2222'
const KEY_C = 'cccc3333cccc3333cccc3333cccc3333'

/** A task with a key in every place: two spellings of apikey, an app's DD_API_KEY, a left-out container's apikey. */
const leaky = (): TaskDefinition => {
  const td = exampleTaskDefinition('already-routed.json')
  td.containerDefinitions[0]!.logConfiguration!.options = {
    Name: 'datadog',
    apikey: KEY_A,
    APIKey: KEY_B
  }
  td.containerDefinitions.push(
    {
      name: 'worker',
      image: 'worker:1',
      environment: [
        { name: 'QUEUE', value: 'jobs' },
        { name: 'DD_API_KEY', value: KEY_C }
      ]
    },
    {
      name: 'legacy',
      image: 'legacy:1',
      logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'datadog', ApiKey: KEY_C, TLS: 'on' } }
    }
  )
  return td
}

describe('clear-text Datadog keys', () => {
  it('are found under every spelling of apikey and as DD_API_KEY, each with its path', () => {
    expect(findClearTextKeys(leaky()).map(k => k.path)).toEqual([
      'containerDefinitions[api].logConfiguration.options.apikey',
      'containerDefinitions[api].logConfiguration.options.APIKey',
      'containerDefinitions[worker].environment[DD_API_KEY]',
      'containerDefinitions[legacy].logConfiguration.options.ApiKey'
    ])
    expect(clearTextKeyValues(leaky())).toEqual([KEY_A, KEY_B, KEY_C])
  })

  it('are none in a clean definition', () => {
    expect(clearTextKeyValues(exampleTaskDefinition('fargate-web.json'))).toEqual([])
  })

  it('leave out of masking a placeholder too short to be a key, which would garble the whole log', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    td.containerDefinitions[0]!.environment = [
      { name: 'DD_API_KEY', value: 'x' },
      { name: 'dd_api_key', value: ` ${KEY_A} ` }
    ]
    expect(findClearTextKeys(td)).toHaveLength(2)
    expect(clearTextKeyValues(td)).toEqual([KEY_A])
  })

  it('are removed from routed options under every spelling; the ones left are warned about without the value', () => {
    const { taskDefinition, warnings } = patchTaskDefinition(leaky(), patchConfig({ containers: ['api', 'worker'] }))
    const text = serializeTaskDefinition(taskDefinition)
    expect(text).not.toContain(KEY_A)
    expect(text).not.toContain(KEY_B)
    const api = taskDefinition.containerDefinitions[0]!.logConfiguration!
    expect(Object.keys(api.options!).filter(k => k.toLowerCase() === 'apikey')).toEqual([])
    expect(warnings).toContainEqual(expect.stringMatching(/^api: .*clear text \(apikey, APIKey\); it was removed/))
    // A routed container's DD_API_KEY moves to secrets, from api-key-secret, under the same name.
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /^worker: DD_API_KEY was set in clear text in its environment; it was removed and it now comes from `api-key-secret` through secrets/
      )
    )
    const worker = taskDefinition.containerDefinitions.find(c => c.name === 'worker')!
    expect(worker.environment?.some(e => e.name === 'DD_API_KEY')).toBe(false)
    expect(worker.secrets).toContainEqual({ name: 'DD_API_KEY', valueFrom: '/prod/DATADOG_API_KEY' })
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /^legacy: a Datadog API key is written in clear text at containerDefinitions\[legacy\]\.logConfiguration\.options\.ApiKey/
      )
    )
    for (const key of [KEY_A, KEY_B, KEY_C]) expect(warnings.join('\n')).not.toContain(key.slice(0, 8))
  })

  it('is removed, with a warning, from a log configuration that is replaced wholesale', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    td.containerDefinitions[0]!.logConfiguration = {
      logDriver: 'awsfirelens',
      options: { Name: 'http', APIKEY: KEY_A }
    }
    const { taskDefinition, warnings } = patchTaskDefinition(td, patchConfig())
    expect(serializeTaskDefinition(taskDefinition)).not.toContain(KEY_A)
    expect(warnings.join()).toMatch(/web: .*clear text \(APIKEY\); it was removed/)
  })

  it('moves every spelling of DD_API_KEY out of a routed environment, keeping a secret of that name the container has', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    const web = td.containerDefinitions[0]!
    web.environment = [
      { name: 'DD_API_KEY', value: KEY_A },
      { name: 'KEEP', value: '1' },
      { name: 'dd_api_key', value: KEY_B }
    ]
    web.secrets = [{ name: 'dd_api_key', valueFrom: '/own/key' }]
    const { taskDefinition, warnings, changes } = patchTaskDefinition(td, patchConfig())
    const patched = taskDefinition.containerDefinitions[0]!
    expect(patched.environment?.map(e => e.name)).not.toContain('DD_API_KEY')
    expect(patched.environment?.map(e => e.name)).not.toContain('dd_api_key')
    expect(patched.secrets).toEqual([
      { name: 'dd_api_key', valueFrom: '/own/key' },
      { name: 'DD_API_KEY', valueFrom: '/prod/DATADOG_API_KEY' }
    ])
    expect(warnings.join('\n')).toMatch(/its secrets entry \(dd_api_key\) was kept/)
    expect(warnings.join('\n')).not.toMatch(/this run left it there/)
    // The edits name the move, never the key.
    const said = JSON.stringify(changes)
    expect(said).toContain('secrets DD_API_KEY')
    for (const key of [KEY_A, KEY_B]) expect(said).not.toContain(key)
    expect(patchTaskDefinition(taskDefinition, patchConfig()).taskDefinition).toEqual(taskDefinition)
  })
})
