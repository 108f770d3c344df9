/**
 * Keeps the log alive while one call takes long (a slow or hanging endpoint): when nothing has been printed for
 * `quietMs`, prints what the step is waiting for, so a progress line appears at least every 15 s.
 */
export interface Heartbeat {
  /** Something was printed just now. */
  beat(): void
  /** What the step is waiting for from now on. */
  waitingFor(activity: string): void
  stop(): void
}

export function startHeartbeat(
  print: (line: string) => void,
  { everyMs = 2_000, quietMs = 8_000, now = Date.now }: { everyMs?: number; quietMs?: number; now?: () => number } = {}
): Heartbeat {
  const start = now()
  let last = start
  let activity = 'AWS'
  const timer = setInterval(() => {
    if (now() - last < quietMs) return
    last = now()
    print(`… still waiting for ${activity} (${Math.round((now() - start) / 1000)}s since the start)`)
  }, everyMs)
  timer.unref()
  return {
    beat: () => {
      last = now()
    },
    waitingFor: label => {
      activity = label
    },
    stop: () => clearInterval(timer)
  }
}
