export const ROOT: string
export const OUTPUT: string
export function actionTable(yamlText: string): {
  inputs: { name: string; required: boolean; default?: string; description: string }[]
  outputs: { name: string; description: string }[]
}
export function renderInputs(root?: string): Promise<string>
export function writeInputs(root?: string): Promise<boolean>
