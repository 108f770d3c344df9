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
    const entries: [string, string][] = []
    for (const [key, value] of Object.entries(options ?? {})) {
      if (typeof value === 'string') entries.push([key, value])
      else if (typeof value === 'number' || typeof value === 'boolean') entries.push([key, String(value)])
      else if (value !== null && value !== undefined) entries.push([key, JSON.stringify(value)])
    }
    return new OptionMap(entries)
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

  toRecord(): Record<string, string> {
    return Object.fromEntries(this.entries())
  }
}
