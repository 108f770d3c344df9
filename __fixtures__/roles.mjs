// IAM roles as the fake serves them when all is well for the example task definitions: each trusted by ECS tasks, the
// execution role allowed to read the key from SSM or Secrets Manager. Shared by the tests and the bench.

/** A trust policy that lets ECS tasks assume the role. */
export const TRUSTS_ECS_TASKS = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]
}

/** The roles of __fixtures__/task-definitions/*.json (ecsTaskExecutionRole, web-task, large-task), all in order. */
export const ROLES_OK = {
  ecsTaskExecutionRole: {
    trustPolicy: TRUSTS_ECS_TASKS,
    policies: {
      'read-datadog-key': [
        { Effect: 'Allow', Action: ['ssm:GetParameters', 'secretsmanager:GetSecretValue'], Resource: '*' }
      ]
    }
  },
  'web-task': { trustPolicy: TRUSTS_ECS_TASKS },
  'large-task': { trustPolicy: TRUSTS_ECS_TASKS }
}
