/**
 * "Did you mean …?": the name a user most likely meant, among the names that are valid where they wrote it. Used for
 * task definition keys and for Fluent Bit option names.
 */

/**
 * The candidate `key` was probably meant to be: the one equal but for case and `-`/`_`, else the closest by edit
 * distance if it is close enough that the suggestion is more likely right than noise.
 */
export function suggest(key: string, candidates: readonly string[]): string | undefined {
  const loose = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '')
  const exact = candidates.find(candidate => loose(candidate) === loose(key))
  if (exact !== undefined) return exact
  // One edit in three characters, at least one and two once the key is long enough to have room for them.
  const limit = key.length <= 3 ? 1 : Math.max(2, Math.floor(key.length / 3))
  let best: string | undefined
  let bestDistance = limit + 1
  for (const candidate of candidates) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

/** Damerau–Levenshtein distance, optimal string alignment variant: a swap of two neighbours counts as one edit. */
export function editDistance(a: string, b: string): number {
  // Three rows are enough: the transposition looks two rows back.
  let before = new Array<number>(b.length + 1).fill(0)
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  let current = new Array<number>(b.length + 1).fill(0)
  for (let i = 1; i <= a.length; i++) {
    current[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1)
      current[j] = d
    }
    const spare = before
    before = previous
    previous = current
    current = spare
  }
  return previous[b.length]!
}
