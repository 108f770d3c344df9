// Types for real-router.mjs (a real Fluent Bit run the way the ECS agent runs the FireLens log router).

export const SHARED_FLUENT_BIT: string
export const PARTIAL_SIZE: number

/** FLUENT_BIT_BIN, else ../shared/fluent-bit/bin/fluent-bit; undefined when neither exists. */
export function fluentBitBinary(env?: NodeJS.ProcessEnv): string | undefined
/** The line a skipped real-router test prints, or undefined when the binary is there. */
export function realRouterSkipReason(env?: NodeJS.ProcessEnv): string | undefined

/** One event as the datadog output sends it (`message`, `ddtags`, `service`, … and any record key). */
export type IntakeEvent = Record<string, unknown> & { message?: string; ddtags?: string; service?: string }

export interface Intake {
  port: number
  events: IntakeEvent[]
  requests: { method?: string; url?: string; headers: Record<string, unknown>; body: unknown }[]
  waitFor(predicate: (events: IntakeEvent[]) => boolean, timeoutMs?: number): Promise<IntakeEvent[]>
  close(): Promise<void>
}

/** A loopback Datadog log intake; `status` (a code, or one per request number) answers each POST. */
export function startIntake(options?: { status?: number | ((request: number) => number) }): Promise<Intake>

/** The records the docker fluentd log driver sends for one line (a line of 16 KiB or more in partial_* parts). */
export function driverRecords(container: string, line: string, source?: string): Record<string, string>[]

export interface RouterOptions {
  /** The (patched) task definition: its firelensConfiguration container is the router. */
  taskDefinition: {
    family: string
    containerDefinitions: Record<string, any>[]
    volumes?: { name: string }[]
  }
  intake: Intake
  /** secretOptions values by name (default apikey: a fake key). */
  secrets?: Record<string, string>
  cluster?: string
  taskId?: string
  /** Files inside the router by container path (e.g. a user's own config-file-type file). */
  files?: Record<string, string>
  env?: NodeJS.ProcessEnv
  startTimeoutMs?: number
}

export interface RunningRouter {
  taskArn: string
  /** The containers the router depends on, as run before it (exit status, stderr). */
  initRuns: { name: string; condition: string; status: number | null; stderr: string }[]
  httpPort: number
  log(): string
  /** The shutdown grace period the engine announced at start-up, in seconds. */
  grace(): number
  mainConfig(): string
  sendRecords(container: string, records: { record: Record<string, unknown>; time?: number }[]): Promise<void>
  /** Lines as the fluentd log driver sends them (long ones split into partial_* records). */
  sendLines(
    container: string,
    lines: (string | { log: string; source?: string })[],
    options?: { source?: string; time?: number }
  ): Promise<void>
  /** Runs the router's healthCheck command against this router; resolves to its exit status. */
  healthCheck(): number | null
  stop(options?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<{
    code: number | null
    signal: NodeJS.Signals | null
    ms: number
    log: string
  }>
}

/** Starts the router a task definition describes, as the ECS agent would; throws with the router's log on failure. */
export function startRouter(options: RouterOptions): Promise<RunningRouter>
