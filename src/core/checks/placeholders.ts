/**
 * Leftover template placeholders: definitions kept as templates reach the action when the templating step did not
 * run, or runs later (CodeDeploy's `<IMAGE1_NAME>`, envsubst's `${IMAGE}`, Helm/Jinja's `{{ … }}`, Octopus' `#{X}`,
 * `%X%`, `$$$X$$$` …). ECS registers such an image as it is, and no task can pull it. Pure.
 */
import { UserError } from '../errors.js'
import { itemPaths, memberPath } from '../definition/json-path.js'
import type { TaskDefinition } from '../definition/task-definition.js'

/**
 * Characters no image reference, role ARN or secret reference can hold, as templating tools use them: `<` `>`
 * (CodeDeploy), `$` (shells, envsubst, Terraform, GitHub's `${{ }}`), `{` `}` (Helm, Jinja, Go templates, Mustache),
 * `%` (batch files, Ansible's Windows style), `#{` (Octopus, Azure's replace-tokens) and white space.
 */
const TEMPLATE_CHARACTERS = /[<>${}%\s]|#\{/

/** CodeDeploy's ECS blue/green placeholder (CodePipeline's "Amazon ECS (Blue/Green)" action fills it). */
const CODEDEPLOY = /<IMAGE\d+_NAME>/

export interface Placeholder {
  /** Where, as messages show paths: `containerDefinitions[web].image`. */
  path: string
  /** The value as written ('' for an empty or missing image). */
  value: string
  /** Set for CodeDeploy's `<IMAGEn_NAME>`: that tool fills and registers the definition itself. */
  codeDeploy: boolean
}

/** Every field whose value is a leftover placeholder, and every container without an image, in file order. */
export function findPlaceholders(taskDefinition: TaskDefinition): Placeholder[] {
  const found: Placeholder[] = []
  const check = (path: string, value: unknown): void => {
    if (typeof value === 'string' && TEMPLATE_CHARACTERS.test(value))
      found.push({ path, value, codeDeploy: CODEDEPLOY.test(value) })
  }
  check('executionRoleArn', taskDefinition.executionRoleArn)
  check('taskRoleArn', taskDefinition.taskRoleArn)
  const containers = taskDefinition.containerDefinitions
  itemPaths('containerDefinitions', containers).forEach((path, i) => {
    const container = containers[i]!
    const image = container.image
    if (typeof image !== 'string' || image.trim() === '') {
      found.push({ path: memberPath(path, 'image'), value: typeof image === 'string' ? image : '', codeDeploy: false })
    } else check(memberPath(path, 'image'), image)
    check(
      memberPath(memberPath(path, 'repositoryCredentials'), 'credentialsParameter'),
      (container.repositoryCredentials as { credentialsParameter?: unknown } | undefined)?.credentialsParameter
    )
    const secrets = container.secrets ?? []
    itemPaths(memberPath(path, 'secrets'), secrets).forEach((secretPath, j) =>
      check(memberPath(secretPath, 'valueFrom'), secrets[j]?.valueFrom)
    )
    const secretOptions = container.logConfiguration?.secretOptions ?? []
    itemPaths(memberPath(memberPath(path, 'logConfiguration'), 'secretOptions'), secretOptions).forEach(
      (optionPath, j) => check(memberPath(optionPath, 'valueFrom'), secretOptions[j]?.valueFrom)
    )
  })
  return found
}

/** One line per placeholder: `containerDefinitions[web].image is "<IMAGE1_NAME>"` (or "is empty"). */
export function describePlaceholder(placeholder: Placeholder): string {
  if (placeholder.value.trim() === '')
    return `${placeholder.path} is ${placeholder.value === '' ? 'empty or missing' : 'blank'}`
  return `${placeholder.path} is ${JSON.stringify(placeholder.value)}${placeholder.codeDeploy ? " (CodeDeploy's placeholder)" : ''}`
}

/** With `register: true`: what stops the registration, and how to get past it. */
export function placeholderError(found: readonly Placeholder[], file: string): UserError {
  const empty = found.filter(p => p.value.trim() === '')
  const templated = found.filter(p => p.value.trim() !== '')
  const what =
    templated.length === 0
      ? `a container without an image, which ECS refuses`
      : `template placeholders that ECS would register as they are, and no task could pull or use`
  const hints: string[] = []
  if (found.some(p => p.codeDeploy))
    hints.push(
      "CodeDeploy (CodePipeline's Amazon ECS blue/green action) fills <IMAGEn_NAME> from the image artifact and registers the task definition itself: set `register: false` and hand this step's `task-definition` output to it."
    )
  if (templated.some(p => !p.codeDeploy))
    hints.push(
      'Fill them in before this step (e.g. envsubst, or amazon-ecs-render-task-definition for the image), or set `register: false` when a later step fills them in and registers.'
    )
  if (empty.length > 0)
    hints.push(
      'Give every container an "image" (e.g. with amazon-ecs-render-task-definition before this step), or set `register: false` when a later step sets it and registers.'
    )
  return new UserError(
    `The task definition in ${file} has ${what}: ${found.map(describePlaceholder).join('; ')}. Nothing was registered.`,
    hints.join(' '),
    file
  )
}

/** With `register: false`: kept as written for the later step, and said so. */
export function placeholderNotice(found: readonly Placeholder[]): string {
  return `Kept as written for the step that fills them in and registers (\`register: false\`): ${found.map(describePlaceholder).join('; ')}. ECS cannot register this file until they are filled in.`
}
