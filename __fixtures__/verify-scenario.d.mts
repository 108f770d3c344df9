import type { FakeAwsOptions, FakeDatadogRecord, FakeTask } from './fake-aws.mjs'

export const ACCOUNT: string
export const REGION: string
export const CLUSTER: string
export const SERVICE: string
export const FAMILY: string
export const REVISION: number
export const TD_ARN: string
export const EXECUTION_ROLE: string
export const ROUTER_GROUP: string
export const API_KEY: string
export const APP_KEY: string
export const API_KEY_PARAMETER: string
export const APP_KEY_PARAMETER: string
export const AP1: string

export function taskArn(id: string): string
export function routerStream(id: string): string

/** web:7 as the main action writes it (a task definition as DescribeTaskDefinition returns it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ScenarioTaskDefinition = Record<string, any> & { family: string; revision: number }
export function taskDefinition(opts?: { routerLog?: boolean }): ScenarioTaskDefinition
export function runningTask(id: string, upMs: number, now?: number): FakeTask
export function record(id: string, at: number, extra?: Partial<FakeDatadogRecord>): FakeDatadogRecord

export interface ScenarioOptions {
  tasks?: FakeTask[]
  routerLog?: boolean
  taskDefinition?: ScenarioTaskDefinition
  routerLines?: Record<string, { timestamp: number; message: string }[]>
  datadog?: FakeDatadogRecord[]
  /** Domain -> API keys the site accepts (default: the key on AP1). */
  keys?: Record<string, string[]>
  deploymentCreatedAt?: number
}
export function scenario(opts?: ScenarioOptions): FakeAwsOptions
