/**
 * Runs `work` on every item with at most `limit` running at once, and returns the results in the items' order. A
 * fleet has hundreds of services: all of them at once would only meet AWS's throttling.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index]!, index)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return results
}

/** `*` matches any run of characters; everything else is literal. Names of ECS services have no `*` of their own. */
export function globMatcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => true
  const regexes = patterns.map(
    p =>
      new RegExp(
        `^${p
          .split('*')
          .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`
      )
  )
  return name => regexes.some(r => r.test(name))
}
