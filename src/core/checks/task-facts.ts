/** One ECS task as the verify checks see it: plain data taken from DescribeTasks (times in epoch milliseconds). */
export interface TaskFacts {
  arn: string
  /** The last part of the ARN, used in awslogs stream names. */
  id: string
  taskDefinitionArn: string
  lastStatus: string
  desiredStatus: string
  createdAt?: number
  startedAt?: number
  stoppingAt?: number
  stoppedAt?: number
  stopCode?: string
  stoppedReason?: string
  containers: ContainerFacts[]
}

export interface ContainerFacts {
  name: string
  image?: string
  lastStatus?: string
  exitCode?: number
  reason?: string
  /** The Docker container id: the awslogs stream name when there is no stream prefix (EC2 only). */
  runtimeId?: string
  /** HEALTHY, UNHEALTHY or UNKNOWN, for a container with a health check. */
  healthStatus?: string
}

/** `arn:aws:ecs:<region>:<account>:task/<cluster>/<id>` (or the older `task/<id>`) → `<id>`. */
export function taskIdOf(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1)
}
