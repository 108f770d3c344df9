// Types for audit-fleet.mjs (fleets for the audit's e2e tests and the bench).
import type { FakeAwsOptions } from './fake-aws.mjs'

export const ACCOUNT: string
export const REGION: string
export const API_KEY_PARAMETER: string
export const ROUTER_IMAGE: string
export const GONE_ARN: string
export function tdArn(family: string, revision: number): string
export function routerGroup(family: string): string
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SeededDefinition = Record<string, any> & {
  family: string
  revision: number
  taskDefinitionArn: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  containerDefinitions: [Record<string, any> & { name: string }, ...(Record<string, any> & { name: string })[]] &
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    Record<number, Record<string, any> & { name: string }>
}
export function datadogOptions(service: string, extra?: Record<string, string>): Record<string, string>
export function healthyDefinition(
  family: string,
  revision?: number,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  opts?: { options?: Record<string, string>; routerOverrides?: Record<string, any>; extra?: Record<string, any>[] }
): SeededDefinition
/** Service name → its revision and the finding kinds the audit must report for it. */
export function seededRevisions(): Record<string, { td: SeededDefinition; kinds: string[] }>
export function seededFleet(extra?: Partial<FakeAwsOptions>): FakeAwsOptions
export function healthyFleet(
  opts?: { clusters?: number; perCluster?: number; revisions?: number } & Omit<Partial<FakeAwsOptions>, 'clusters'>
): FakeAwsOptions
