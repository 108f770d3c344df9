/**
 * logConfiguration / firelensConfiguration options with Fluent Bit's rule for names: case-insensitive. ECS writes
 * the options from a map in no fixed order, so `host` beside `Host` could win at run time; this type keeps exactly
 * one key per name. Insertion order is kept, so serializing it is stable.
 */
export class OptionMap {
  readonly #entries = new Map<string, { key: string; value: string }>()

  /** Later spellings of a name replace earlier ones' value and spelling, at the earlier one's position. */
  constructor(entries: Iterable<readonly [string, string]> = []) {
    for (const [key, value] of entries) this.set(key, value)
  }

  /**
   * Options as a task definition holds them. Values must be strings; a number or boolean a user wrote is kept as
   * its text, null/undefined are dropped.
   */
  static fromRecord(options: Record<string, unknown> | null | undefined): OptionMap {
    return new OptionMap(stringEntries(options))
  }

  /**
   * Every spelling of `name` in a record as written, with its value: `apikey` and `APIKey` side by side are two
   * entries here, where an OptionMap keeps one. For checks that must see each of them (a clear-text key to mask).
   */
  static spellings(options: Record<string, unknown> | null | undefined, name: string): [string, string][] {
    const lower = name.toLowerCase()
    return stringEntries(options).filter(([key]) => key.toLowerCase() === lower)
  }

  /** Names written more than once in a record under different spellings (`host` and `Host`), each as written. */
  static duplicateSpellings(options: Record<string, unknown> | null | undefined): string[][] {
    const byName = new Map<string, string[]>()
    for (const [key] of stringEntries(options)) {
      const lower = key.toLowerCase()
      byName.set(lower, [...(byName.get(lower) ?? []), key])
    }
    return [...byName.values()].filter(keys => keys.length > 1)
  }

  get size(): number {
    return this.#entries.size
  }

  /** The key as written, whatever the case asked for. */
  keyOf(name: string): string | undefined {
    return this.#entries.get(name.toLowerCase())?.key
  }

  get(name: string): string | undefined {
    return this.#entries.get(name.toLowerCase())?.value
  }

  has(name: string): boolean {
    return this.#entries.has(name.toLowerCase())
  }

  /** Sets the value under this spelling; an existing spelling of the name is replaced where it stands. */
  set(name: string, value: string): this {
    this.#entries.set(name.toLowerCase(), { key: name, value })
    return this
  }

  /** Removes every spelling of the name and returns its value. */
  delete(name: string): string | undefined {
    const lower = name.toLowerCase()
    const value = this.#entries.get(lower)?.value
    this.#entries.delete(lower)
    return value
  }

  *entries(): IterableIterator<[string, string]> {
    for (const { key, value } of this.#entries.values()) yield [key, value]
  }

  /**
   * The options as a record. Names listed in `order` (any case) come first, in that order; the others follow in
   * insertion order. A fixed place for the names the action knows keeps a second run byte-identical, wherever a
   * first run or the user had put them.
   */
  toRecord(order: readonly string[] = []): Record<string, string> {
    const rank = new Map(order.map((name, index) => [name.toLowerCase(), index]))
    const entries = [...this.#entries.entries()]
    const ranked = entries
      .filter(([lower]) => rank.has(lower))
      .sort(([a], [b]) => rank.get(a)! - rank.get(b)!)
      .concat(entries.filter(([lower]) => !rank.has(lower)))
    return Object.fromEntries(ranked.map(([, { key, value }]) => [key, value]))
  }
}

function stringEntries(options: Record<string, unknown> | null | undefined): [string, string][] {
  const entries: [string, string][] = []
  for (const [key, value] of Object.entries(options ?? {})) {
    if (typeof value === 'string') entries.push([key, value])
    else if (typeof value === 'number' || typeof value === 'boolean') entries.push([key, String(value)])
    else if (value !== null && value !== undefined) entries.push([key, JSON.stringify(value)])
  }
  return entries
}
