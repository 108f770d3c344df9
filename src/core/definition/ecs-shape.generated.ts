// Generated from @aws-sdk/client-ecs 3.1164.0 by scripts/gen-ecs-shape.mjs. Do not edit:
// regenerate with `npm run gen:ecs-shape` after upgrading the SDK.

/**
 * The request RegisterTaskDefinition takes, as the SDK serializes it: it silently drops keys not listed here.
 * Per structure, its members in the SDK's order. A member is a scalar ('string', 'number' — a whole number,
 * 'boolean', 'timestamp'), 'map<scalar>' (free keys with values of that type, e.g. dockerLabels), the name of
 * a structure, or a member kind followed by '[]' for a list of those.
 */
export type EcsShapes = Readonly<Record<string, Readonly<Record<string, string>>>>

export const ECS_ROOT_SHAPE = 'RegisterTaskDefinitionRequest'

/** Members of describe-task-definition output (TaskDefinition) that RegisterTaskDefinition does not take. */
export const ECS_READ_ONLY_MEMBERS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'deregisteredAt',
  'deleteRequestedAt',
  'registeredBy'
] as const

export const ECS_SHAPES: EcsShapes = {
  RegisterTaskDefinitionRequest: {
    family: 'string',
    containerDefinitions: 'ContainerDefinition[]',
    taskRoleArn: 'string',
    executionRoleArn: 'string',
    networkMode: 'string',
    volumes: 'Volume[]',
    placementConstraints: 'TaskDefinitionPlacementConstraint[]',
    requiresCompatibilities: 'string[]',
    cpu: 'string',
    memory: 'string',
    tags: 'Tag[]',
    pidMode: 'string',
    ipcMode: 'string',
    proxyConfiguration: 'ProxyConfiguration',
    inferenceAccelerators: 'InferenceAccelerator[]',
    ephemeralStorage: 'EphemeralStorage',
    runtimePlatform: 'RuntimePlatform',
    enableFaultInjection: 'boolean'
  },
  ContainerDefinition: {
    name: 'string',
    image: 'string',
    repositoryCredentials: 'RepositoryCredentials',
    cpu: 'number',
    memory: 'number',
    memoryReservation: 'number',
    links: 'string[]',
    portMappings: 'PortMapping[]',
    essential: 'boolean',
    restartPolicy: 'ContainerRestartPolicy',
    entryPoint: 'string[]',
    command: 'string[]',
    environment: 'KeyValuePair[]',
    environmentFiles: 'EnvironmentFile[]',
    mountPoints: 'MountPoint[]',
    volumesFrom: 'VolumeFrom[]',
    linuxParameters: 'LinuxParameters',
    secrets: 'Secret[]',
    dependsOn: 'ContainerDependency[]',
    startTimeout: 'number',
    stopTimeout: 'number',
    versionConsistency: 'string',
    hostname: 'string',
    user: 'string',
    workingDirectory: 'string',
    disableNetworking: 'boolean',
    privileged: 'boolean',
    readonlyRootFilesystem: 'boolean',
    dnsServers: 'string[]',
    dnsSearchDomains: 'string[]',
    extraHosts: 'HostEntry[]',
    dockerSecurityOptions: 'string[]',
    interactive: 'boolean',
    pseudoTerminal: 'boolean',
    dockerLabels: 'map<string>',
    ulimits: 'Ulimit[]',
    logConfiguration: 'LogConfiguration',
    healthCheck: 'HealthCheck',
    systemControls: 'SystemControl[]',
    resourceRequirements: 'ResourceRequirement[]',
    firelensConfiguration: 'FirelensConfiguration',
    credentialSpecs: 'string[]'
  },
  ContainerDependency: {
    containerName: 'string',
    condition: 'string'
  },
  ContainerRestartPolicy: {
    enabled: 'boolean',
    ignoredExitCodes: 'number[]',
    restartAttemptPeriod: 'number'
  },
  Device: {
    hostPath: 'string',
    containerPath: 'string',
    permissions: 'string[]'
  },
  DockerVolumeConfiguration: {
    scope: 'string',
    autoprovision: 'boolean',
    driver: 'string',
    driverOpts: 'map<string>',
    labels: 'map<string>'
  },
  EFSAuthorizationConfig: {
    accessPointId: 'string',
    iam: 'string'
  },
  EFSVolumeConfiguration: {
    fileSystemId: 'string',
    rootDirectory: 'string',
    transitEncryption: 'string',
    transitEncryptionPort: 'number',
    authorizationConfig: 'EFSAuthorizationConfig'
  },
  EnvironmentFile: {
    value: 'string',
    type: 'string'
  },
  EphemeralStorage: {
    sizeInGiB: 'number'
  },
  FSxWindowsFileServerAuthorizationConfig: {
    credentialsParameter: 'string',
    domain: 'string'
  },
  FSxWindowsFileServerVolumeConfiguration: {
    fileSystemId: 'string',
    rootDirectory: 'string',
    authorizationConfig: 'FSxWindowsFileServerAuthorizationConfig'
  },
  FirelensConfiguration: {
    type: 'string',
    options: 'map<string>'
  },
  HealthCheck: {
    command: 'string[]',
    interval: 'number',
    timeout: 'number',
    retries: 'number',
    startPeriod: 'number'
  },
  HostEntry: {
    hostname: 'string',
    ipAddress: 'string'
  },
  HostVolumeProperties: {
    sourcePath: 'string'
  },
  InferenceAccelerator: {
    deviceName: 'string',
    deviceType: 'string'
  },
  KernelCapabilities: {
    add: 'string[]',
    drop: 'string[]'
  },
  KeyValuePair: {
    name: 'string',
    value: 'string'
  },
  LinuxParameters: {
    capabilities: 'KernelCapabilities',
    devices: 'Device[]',
    initProcessEnabled: 'boolean',
    sharedMemorySize: 'number',
    tmpfs: 'Tmpfs[]',
    maxSwap: 'number',
    swappiness: 'number'
  },
  LogConfiguration: {
    logDriver: 'string',
    options: 'map<string>',
    secretOptions: 'Secret[]'
  },
  MountPoint: {
    sourceVolume: 'string',
    containerPath: 'string',
    readOnly: 'boolean'
  },
  NvidiaMpsAllocation: {
    memory: 'number',
    maxComputePercent: 'number'
  },
  PortMapping: {
    containerPort: 'number',
    hostPort: 'number',
    protocol: 'string',
    name: 'string',
    appProtocol: 'string',
    containerPortRange: 'string'
  },
  ProxyConfiguration: {
    containerName: 'string',
    type: 'string',
    properties: 'KeyValuePair[]'
  },
  RepositoryCredentials: {
    credentialsParameter: 'string'
  },
  ResourceRequirement: {
    type: 'string',
    value: 'string',
    sharingStrategy: 'SharingStrategy'
  },
  RuntimePlatform: {
    cpuArchitecture: 'string',
    operatingSystemFamily: 'string'
  },
  S3FilesVolumeConfiguration: {
    fileSystemArn: 'string',
    rootDirectory: 'string',
    transitEncryptionPort: 'number',
    accessPointArn: 'string'
  },
  Secret: {
    name: 'string',
    valueFrom: 'string'
  },
  SharingStrategy: {
    nvidiaMps: 'NvidiaMpsAllocation'
  },
  SystemControl: {
    namespace: 'string',
    value: 'string'
  },
  Tag: {
    key: 'string',
    value: 'string'
  },
  TaskDefinitionPlacementConstraint: {
    type: 'string',
    expression: 'string'
  },
  Tmpfs: {
    containerPath: 'string',
    size: 'number',
    mountOptions: 'string[]'
  },
  Ulimit: {
    name: 'string',
    softLimit: 'number',
    hardLimit: 'number'
  },
  Volume: {
    name: 'string',
    host: 'HostVolumeProperties',
    dockerVolumeConfiguration: 'DockerVolumeConfiguration',
    efsVolumeConfiguration: 'EFSVolumeConfiguration',
    s3filesVolumeConfiguration: 'S3FilesVolumeConfiguration',
    fsxWindowsFileServerVolumeConfiguration: 'FSxWindowsFileServerVolumeConfiguration',
    configuredAtLaunch: 'boolean'
  },
  VolumeFrom: {
    sourceContainer: 'string',
    readOnly: 'boolean'
  }
}
