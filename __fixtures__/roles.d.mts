import type { FakeRole } from './fake-aws.mjs'

export const TRUSTS_ECS_TASKS: unknown
export const ROLES_OK: Record<string, FakeRole>
