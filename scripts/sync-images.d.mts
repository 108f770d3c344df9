// Types for sync-images.mjs, so the TypeScript tests can import it.
export const ROOT: string
export const PINS_FILE: string
export const STAGES: Record<string, string>
export function parsePins(dockerfile: string): Record<string, string>
export function codeImage(imagesTs: string, constant: string): string | undefined
export function syncImages(root?: string, options?: { check?: boolean }): Promise<string[]>
