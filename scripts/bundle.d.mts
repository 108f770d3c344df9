// Types for bundle.mjs, so the TypeScript tests can import it.

export interface Entry {
  name: string
  entry: string
  outDir: string
}
export interface Compiled {
  code: string
  assets: Record<string, { source: string | Buffer; permissions?: number }>
  /** Output file name (relative to the entry's outDir) → absolute paths of the modules bundled into it. */
  modules: Map<string, Set<string>>
}
export interface BundledPackage {
  name: string
  version: string
  license: string
  repository: string | undefined
  licenseFile: string | undefined
  licenseText: string | undefined
  noticeText: string | undefined
  files: Set<string>
}

export const ROOT: string
export const ENTRIES: readonly Entry[]
export const NCC_OPTIONS: Record<string, unknown>
export const LICENSES_FILE: string
export function presentEntries(root?: string): Entry[]
export function moduleConditionPaths(root?: string): Record<string, string[]>
export function compile(entry: string, options?: Record<string, unknown>, root?: string): Promise<Compiled>
export function packageRoot(resource: string): string | undefined
export function readPackage(dir: string): Omit<BundledPackage, 'files'>
export function bundledPackages(
  compiled: { outDir: string; modules: Map<string, Set<string>> }[],
  root?: string
): Map<string, BundledPackage>
export function renderLicenses(packages: Map<string, BundledPackage>): string
