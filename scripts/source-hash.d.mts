export const ROOT: string
export const HASH_FILE: string
export function sourceHash(root?: string): string
export function staleBundleReason(root?: string): string | undefined
