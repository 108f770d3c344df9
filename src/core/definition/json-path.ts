/**
 * Paths into a task definition as messages show them: `containerDefinitions[web].environment[DEBUG].value`. List
 * items go by their `name` when it is unambiguous (the container, the variable, the secret, the volume), else by
 * index: `portMappings[0].containerPort`. The same style in every message, so a user learns it once.
 */

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
// Names that read unmistakably inside brackets: not a bare number (an index) and nothing that needs quoting.
const NAME_LABEL = /^(?!\d+$)[\w-]+$/

/** The path of member `key` of the object at `path` (`''` for the root). */
export function memberPath(path: string, key: string): string {
  const label = IDENTIFIER.test(key) ? key : `[${JSON.stringify(key)}]`
  return path === '' || !IDENTIFIER.test(key) ? `${path}${label}` : `${path}.${label}`
}

/** The path of each item of the list at `path`. */
export function itemPaths(path: string, items: readonly unknown[]): string[] {
  const names = items.map(item => (isPlainObject(item) && typeof item.name === 'string' ? item.name : undefined))
  return names.map(
    (name, i) =>
      `${path}[${name !== undefined && NAME_LABEL.test(name) && names.indexOf(name) === names.lastIndexOf(name) ? name : i}]`
  )
}

/** A JSON object: not a list, and not a class instance (a Date, a Buffer…). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (Object.prototype.toString.call(value) !== '[object Object]') return false
  // Object.prototype of any realm (or none): not an instance of a class.
  const prototype = Object.getPrototypeOf(value) as object | null
  return prototype === null || Object.getPrototypeOf(prototype) === null
}
