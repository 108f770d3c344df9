// Types for readme-tables.mjs, so the TypeScript tests can import it.

export interface ActionInput {
  name: string
  required: boolean
  default: string | undefined
  description: string
}
export interface ActionOutput {
  name: string
  description: string
}
export interface Tables {
  inputs: string
  outputs: string
}
export interface TableInputRow {
  name: string
  /** true for yes, false for no, the cell's text for anything else. */
  required: boolean | string
  default: string | undefined
  description: string
}

export const ROOT: string
export const SECTIONS: readonly ['inputs', 'outputs']
/** Each action of the repository (its action.yml, relative to the root) and the prefix of its README markers. */
export const ACTIONS: readonly { file: string; prefix: string }[]
export function readAction(actionYaml: string): { inputs: ActionInput[]; outputs: ActionOutput[] }
export function renderTables(actionYaml: string, options?: { readmePath?: string }): Promise<Tables>
/** `name` is the marker's name: inputs, outputs, verify-inputs, verify-outputs. */
export function readSection(readme: string, name: string): string
export function replaceSections(readme: string, tables: Tables, prefix?: string): string
export function splitCodeSpans(text: string): { code: boolean; text: string }[]
export function cellText(markdown: string): string
export function parseTable(markdown: string): string[][]
export function parseInputsTable(markdown: string): TableInputRow[]
export function parseOutputsTable(markdown: string): ActionOutput[]
export function tableProblems(readme: string, actionYaml: string, prefix?: string): string[]
