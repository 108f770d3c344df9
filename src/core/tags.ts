import { checkConfigValue } from './config-value.js'
import { UserError } from './errors.js'

/** A Datadog tag as the action handles it: key and value, `key:value` on the wire. */
export interface Tag {
  key: string
  value: string
}

/** Tags as dd_tags writes them; an existing tag without a value (`prod`) stays as it was written. */
export function formatTags(tags: readonly Tag[]): string {
  return tags.map(t => (t.value === '' ? t.key : `${t.key}:${t.value}`)).join(',')
}

/** Items of a comma- and/or newline-separated input, trimmed, blanks dropped. */
export function splitList(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map(s => s.trim())
    .filter(s => s !== '')
}

// Datadog lowercases tags and turns anything outside these characters into `_` (docs: "Getting Started with Tags":
// letters, including Unicode ones, digits, and _ - : . /).
const DATADOG_TAG_CHARS = /^[\p{L}\p{N}_\-:./]*$/u
const STARTS_WITH_LETTER = /^\p{L}/u

/**
 * Parses the `tags` input. Each item must be `key:value`; a space or a control character inside an item is refused
 * (it would split or inject). Returns the tags and the warnings for what Datadog would silently rewrite.
 */
export function parseTagsInput(text: string, input = 'tags'): { tags: Tag[]; warnings: string[] } {
  const tags: Tag[] = []
  const warnings: string[] = []
  for (const item of splitList(text)) {
    tags.push(parseTagItem(item, input, warnings))
  }
  return { tags, warnings }
}

function parseTagItem(item: string, input: string, warnings: string[]): Tag {
  checkConfigValue(item, `Input \`${input}\``)
  if (/\s/.test(item)) {
    throw new UserError(
      `Input \`${input}\` has the tag ${JSON.stringify(item)}, which contains white space.`,
      'Datadog tags cannot contain spaces: write key:value pairs separated by commas or newlines, e.g. env:prod,team:payments.'
    )
  }
  const colon = item.indexOf(':')
  if (colon <= 0 || colon === item.length - 1) {
    throw new UserError(
      `Input \`${input}\` has the item ${JSON.stringify(item)}, which is not a key:value tag.`,
      'Write each tag as key:value (e.g. team:payments), separated by commas or newlines.'
    )
  }
  if (item.length > 200) {
    warnings.push(`Tag "${item.slice(0, 40)}…" is ${item.length} characters long; Datadog truncates tags at 200.`)
  }
  if (!STARTS_WITH_LETTER.test(item)) {
    warnings.push(`Tag "${item}" does not start with a letter; Datadog may drop or rewrite it.`)
  } else if (!DATADOG_TAG_CHARS.test(item.toLowerCase())) {
    warnings.push(`Tag "${item}" has characters Datadog converts to "_" (allowed: letters, digits, _ - : . /).`)
  } else if (item !== item.toLowerCase()) {
    warnings.push(`Tag "${item}" has upper-case letters; Datadog stores tags in lower case.`)
  }
  return { key: item.slice(0, colon), value: item.slice(colon + 1) }
}

/**
 * Reads a dd_tags value already in a task definition leniently: it is the user's, not ours to judge. An item that is
 * not key:value (`prod`, `team:`, `:x`) is kept exactly as written, as a key without a value.
 */
export function parseExistingTags(text: string): Tag[] {
  return splitList(text).map(item => {
    const colon = item.indexOf(':')
    return colon <= 0 || colon === item.length - 1
      ? { key: item, value: '' }
      : { key: item.slice(0, colon), value: item.slice(colon + 1) }
  })
}

/**
 * Merges the input's tags into existing ones. Datadog tags may repeat a key (`team:payments,team:platform`), so:
 * every value of a key the input does not mention stays as it was; the input's values of a key replace all the
 * existing values of that key, where its first one stood; keys new to the container are appended, the values of
 * one key together. Keys compare as Datadog stores them (lower case). Exact duplicates are dropped, nothing else.
 * Merging the result again with the same tags changes nothing.
 */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const keyOf = (tag: Tag): string => tag.key.toLowerCase()
  const addedByKey = new Map<string, Tag[]>()
  for (const tag of added) addedByKey.set(keyOf(tag), [...(addedByKey.get(keyOf(tag)) ?? []), tag])
  const merged: Tag[] = []
  const placed = new Set<string>()
  const place = (key: string): void => {
    if (placed.has(key)) return
    placed.add(key)
    merged.push(...addedByKey.get(key)!)
  }
  for (const tag of existing) {
    if (addedByKey.has(keyOf(tag))) place(keyOf(tag))
    else merged.push(tag)
  }
  for (const key of addedByKey.keys()) place(key)
  const seen = new Set<string>()
  return merged.filter(tag => {
    const text = formatTags([tag])
    if (seen.has(text)) return false
    seen.add(text)
    return true
  })
}
