import { UserError } from '../errors.js'
import { ECS_NAME } from '../definition/task-definition.js'

/**
 * The stack-trace languages the router joins: Fluent Bit 5.0.9's built-in multiline parsers (src/multiline/:
 * docker, cri, java, go, ruby, python) less docker and cri, which read the container runtime's own file formats and
 * have nothing to do on records the fluentd log driver already split into `log` lines.
 */
export const MULTILINE_LANGUAGES = ['java', 'python', 'go', 'ruby'] as const
export type MultilineLanguage = (typeof MULTILINE_LANGUAGES)[number]

/** What one container's records get: split lines rejoined, and (for a language) its stack traces joined too. */
export type MultilineMode = 'partial' | MultilineLanguage

/** The `multiline` input: a mode for every routed container, and/or one per named container. */
export interface MultilineSetting {
  /** For every routed container not named in `containers`. Undefined: none. */
  all?: MultilineMode
  /** By container name, in the order written; `off` keeps a container out of `all`. */
  containers: [string, MultilineMode | 'off'][]
}

export const MULTILINE_OFF: MultilineSetting = { containers: [] }

/** Whether the setting asks for anything. */
export const multilineIsOn = (setting: MultilineSetting): boolean =>
  setting.all !== undefined || setting.containers.some(([, mode]) => mode !== 'off')

const VALUES = `off, partial or a language (${MULTILINE_LANGUAGES.join(', ')})`

/**
 * Reads `multiline`: `off` (the default), `partial`, a language, or a list separated by commas and/or newlines of
 * `<container>=<value>` entries and at most one bare value for the other containers (`partial, web=java`).
 */
export function parseMultiline(text: string): MultilineSetting {
  const entries = text
    .split(/[,\n]/)
    .map(entry => entry.replace(/\r$/, '').trim())
    .filter(entry => entry !== '')
  const setting: MultilineSetting = { containers: [] }
  let bare: string | undefined
  const seen = new Map<string, string>()
  for (const entry of entries) {
    const eq = entry.indexOf('=')
    if (eq < 0) {
      if (bare !== undefined) {
        throw new UserError(
          `Input \`multiline\` has two values for every container, "${bare}" and "${entry}".`,
          `Give one value for all containers and name the others, e.g. partial, web=java.`
        )
      }
      bare = entry
      const mode = modeOf(entry, 'Input `multiline`')
      if (mode !== 'off') setting.all = mode
      continue
    }
    const name = entry.slice(0, eq).trim()
    const value = entry.slice(eq + 1).trim()
    if (!ECS_NAME.test(name)) {
      throw new UserError(
        `Input \`multiline\` has ${JSON.stringify(entry)}, whose container name ${JSON.stringify(name)} is not a valid container name.`,
        'Write <container>=<value>, e.g. web=java, with the name as containerDefinitions has it.'
      )
    }
    const previous = seen.get(name)
    if (previous !== undefined) {
      throw new UserError(
        `Input \`multiline\` names ${name} twice ("${previous}" and "${entry}").`,
        'Give each container one value.'
      )
    }
    seen.set(name, entry)
    const mode = modeOf(value, `Input \`multiline\` for ${name}`)
    setting.containers.push([name, mode])
  }
  // `web=off` only means something beside a value for all the others.
  if (setting.all === undefined) setting.containers = setting.containers.filter(([, mode]) => mode !== 'off')
  return setting
}

function modeOf(value: string, where: string): MultilineMode | 'off' {
  const lower = value.toLowerCase()
  if (lower === 'off' || lower === 'partial') return lower
  if ((MULTILINE_LANGUAGES as readonly string[]).includes(lower)) return lower as MultilineLanguage
  const hint =
    lower === 'docker' || lower === 'cri'
      ? ` Fluent Bit's ${lower} parser reads the container runtime's log files; FireLens records arrive already split into lines, so it has nothing to do here (\`partial\` rejoins lines the runtime split).`
      : ''
  throw new UserError(`${where} is ${JSON.stringify(value)}, which is not ${VALUES}.${hint}`, `Use ${VALUES}.`)
}

/**
 * The mode of each routed container, in container order. A named container that is not routed is refused: its
 * records never reach the router.
 */
export function multilineByContainer(setting: MultilineSetting, routed: string[]): [string, MultilineMode][] {
  const named = new Map(setting.containers)
  for (const name of named.keys()) {
    if (!routed.includes(name)) {
      throw new UserError(
        `Input \`multiline\` names "${name}", which is not a container this step routes to Datadog.`,
        `The routed containers are: ${routed.join(', ') || 'none'}.`
      )
    }
  }
  const result: [string, MultilineMode][] = []
  for (const name of routed) {
    const mode = named.has(name) ? named.get(name) : setting.all
    if (mode !== undefined && mode !== 'off') result.push([name, mode])
  }
  return result
}
