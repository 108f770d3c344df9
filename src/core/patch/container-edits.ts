import { findDatadogKeys } from '../datadog-key.js'
import type { ContainerDefinition } from '../definition/task-definition.js'
import { parseExistingTags, formatTags } from '../tags.js'
import { OptionMap } from './options.js'

/**
 * One setting the patch changed on a container that already had it, with the value before and after: what the notice
 * and the job summary say, so nothing is rewritten silently. Secret references are names, not secrets, and are shown;
 * a value that is a key (an apikey option, DD_API_KEY in clear) never is.
 */
export interface Edit {
  /** Where, as the user reads it: `Host`, `secretOptions apikey`, `environment DD_SERVICE`, `image`. */
  what: string
  /** Undefined: the container did not have it (only listed where adding it is a change of what was set). */
  from?: string
  /** Undefined: removed. */
  to?: string
  /** A value that may be a key (an apikey option, DD_API_KEY, a password): never shown. */
  secret?: boolean
}

/** Names whose values are never shown: the Datadog key under its option and environment spellings. */
const SECRET_NAME = /^(apikey|api_key|dd_api_key|.*passw(or)?d.*|.*secret.*|.*token.*)$/i

/**
 * The settings of `before` that `after` changed, in a fixed order: image, the log driver, its options (dd_tags item by
 * item), the key's reference, firelensConfiguration, environment, secrets, labels. Settings the container did not
 * have are not edits, except options of an output that already sent to Datadog, where an added option is a change of
 * the user's output; nor is the wholesale replacement of another log driver (the row says it was re-routed).
 */
export function containerEdits(before: ContainerDefinition, after: ContainerDefinition): Edit[] {
  const edits: Edit[] = []
  if (before.image !== undefined && before.image !== after.image)
    edits.push({ what: 'image', from: before.image, to: after.image })
  const beforeLog = before.logConfiguration
  const afterLog = after.logConfiguration
  // Another log driver replaced wholesale is the row's own news ("re-routed"), with its own notice.
  if (beforeLog?.logDriver !== undefined && afterLog?.logDriver === beforeLog.logDriver) {
    // Another output (cloudwatch → datadog) is replaced wholesale too: the row says it was re-routed.
    if (outputName(beforeLog.options) === outputName(afterLog?.options)) {
      edits.push(...optionEdits(beforeLog.options, afterLog?.options, true))
      edits.push(...listEdits('secretOptions', beforeLog.secretOptions, afterLog?.secretOptions, 'valueFrom', true))
    }
  }
  const firelens = before.firelensConfiguration
  if (firelens !== undefined) {
    if (firelens.type !== undefined && firelens.type !== after.firelensConfiguration?.type)
      edits.push({ what: 'firelensConfiguration.type', from: firelens.type, to: after.firelensConfiguration?.type })
    edits.push(...optionEdits(firelens.options, after.firelensConfiguration?.options, true, 'firelensConfiguration '))
  }
  edits.push(...listEdits('environment', before.environment, after.environment, 'value', false, true))
  // A secret added beside what the container had: the key moved out of the environment, or the Agent's key.
  edits.push(...listEdits('secrets', before.secrets, after.secrets, 'valueFrom', true))
  for (const [key, value] of Object.entries(before.dockerLabels ?? {})) {
    const to = after.dockerLabels?.[key]
    if (to !== value) edits.push({ what: `dockerLabels ${key}`, from: String(value), to, ...secretFlag(key) })
  }
  // A secret's value is dropped here, so no copy of it travels with the change rows.
  return edits.map(edit => {
    const secret =
      edit.secret === true || [edit.from, edit.to].some(v => v !== undefined && findDatadogKeys(v).length > 0)
    if (!secret) return edit
    const hide = (v: string | undefined): string | undefined => (v === undefined ? undefined : HIDDEN)
    return { ...edit, from: hide(edit.from), to: hide(edit.to), secret: true }
  })
}

/** What stands for a secret's value, in every rendering. */
export const HIDDEN = '(a value in clear text, not shown)'

/** One line per edit: `Host http-intake.logs.datadoghq.com → http-intake.logs.us5.datadoghq.com`. */
export function formatEdit(edit: Edit): string {
  const show = (value: string | undefined): string =>
    value === undefined ? '(unset)' : edit.secret === true ? HIDDEN : value === '' ? '""' : value
  if (edit.to === undefined) return `${edit.what} ${show(edit.from)} removed`
  if (edit.from === undefined) return `${edit.what} ${show(edit.to)} added`
  return `${edit.what} ${show(edit.from)} → ${show(edit.to)}`
}

/** The notice for one container's edits, or undefined when there are none. */
export function editsNotice(container: string, edits: readonly Edit[]): string | undefined {
  if (edits.length === 0) return undefined
  return `${container}: changed what it already had: ${edits.map(formatEdit).join('; ')}.`
}

function secretFlag(name: string): { secret?: true } {
  return SECRET_NAME.test(name) ? { secret: true } : {}
}

function outputName(options: Record<string, unknown> | undefined): string | undefined {
  return OptionMap.fromRecord(options).get('Name')?.toLowerCase()
}

/** Options compared by name (any case): changed, removed, and added when `withAdded`. dd_tags item by item. */
function optionEdits(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  withAdded: boolean,
  prefix = ''
): Edit[] {
  const was = OptionMap.fromRecord(before)
  const now = OptionMap.fromRecord(after)
  const edits: Edit[] = []
  for (const [key, value] of was.entries()) {
    const to = now.get(key)
    if (to === value) continue
    const what = `${prefix}${now.keyOf(key) ?? key}`
    if (key.toLowerCase() === 'dd_tags' && to !== undefined) edits.push(...tagEdits(what, value, to))
    else edits.push({ what, from: value, to, ...secretFlag(key) })
  }
  if (withAdded) {
    for (const [key, value] of now.entries())
      if (!was.has(key)) edits.push({ what: `${prefix}${key}`, to: value, ...secretFlag(key) })
  }
  return edits
}

/** dd_tags as items: the ones removed and the ones added, so a long tag list shows only what moved. */
function tagEdits(what: string, before: string, after: string): Edit[] {
  const was = parseExistingTags(before).map(t => formatTags([t]))
  const now = parseExistingTags(after).map(t => formatTags([t]))
  const removed = was.filter(t => !now.includes(t))
  const added = now.filter(t => !was.includes(t))
  if (removed.length === 0 && added.length === 0) return [{ what: `${what} (order)`, from: before, to: after }]
  return [
    {
      what,
      ...(removed.length > 0 ? { from: removed.join(',') } : {}),
      ...(added.length > 0 ? { to: added.join(',') } : { to: '(none)' })
    }
  ]
}

/** Entries of a named list (environment, secrets, secretOptions) by name: changed and removed; added when asked. */
function listEdits(
  list: string,
  before: readonly { name?: string; [key: string]: unknown }[] | undefined,
  after: readonly { name?: string; [key: string]: unknown }[] | undefined,
  field: string,
  withAdded: boolean,
  /** Whether the values are the settings themselves (environment), where a name can say it is a secret. */
  values = false
): Edit[] {
  type Entry = { name?: string; [key: string]: unknown } | undefined
  const itemsOf = (entries: typeof before): readonly Entry[] => (Array.isArray(entries) ? (entries as Entry[]) : [])
  const valueOf = (entries: typeof before, name: string): string | undefined => {
    const entry = itemsOf(entries)
      .filter(e => e?.name === name)
      .at(-1)
    const value = entry?.[field]
    return entry === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value ?? '')
  }
  const names = (entries: typeof before): string[] => [
    ...new Set(
      itemsOf(entries)
        .map(e => e?.name)
        .filter((n): n is string => typeof n === 'string')
    )
  ]
  const edits: Edit[] = []
  for (const name of names(before)) {
    const from = valueOf(before, name)
    const to = valueOf(after, name)
    if (from !== to) edits.push({ what: `${list} ${name}`, from, to, ...(values ? secretFlag(name) : {}) })
  }
  if (withAdded) {
    const had = new Set(names(before))
    for (const name of names(after))
      if (!had.has(name))
        edits.push({ what: `${list} ${name}`, to: valueOf(after, name), ...(values ? secretFlag(name) : {}) })
  }
  return edits
}
