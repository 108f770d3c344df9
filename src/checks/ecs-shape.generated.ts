// Generated from @aws-sdk/client-ecs 3.1164.0 by scripts/gen-ecs-shape.mjs. Do not edit:
// regenerate with `npm run gen:ecs-shape` after upgrading the SDK.

/**
 * The request RegisterTaskDefinition takes, as the SDK serializes it: it silently drops keys not listed here.
 * Per structure, its members in the SDK's order. A member is 'scalar' (a string, number, boolean, timestamp or
 * a list of those), 'map' (free keys with scalar values, e.g. dockerLabels), the name of a structure, or a
 * member kind followed by '[]' for a list of those.
 */
export type EcsShapes = Readonly<Record<string, Readonly<Record<string, string>>>>

export const ECS_ROOT_SHAPE = 'RegisterTaskDefinitionRequest'

export const ECS_SHAPES: EcsShapes = {
  RegisterTaskDefinitionRequest: {
    family: 'scalar',
    containerDefinitions: 'ContainerDefinition[]',
    taskRoleArn: 'scalar',
    executionRoleArn: 'scalar',
    networkMode: 'scalar',
    volumes: 'Volume[]',
    placementConstraints: 'TaskDefinitionPlacementConstraint[]',
    requiresCompatibilities: 'scalar',
    cpu: 'scalar',
    memory: 'scalar',
    tags: 'Tag[]',
    pidMode: 'scalar',
    ipcMode: 'scalar',
    proxyConfiguration: 'ProxyConfiguration',
    inferenceAccelerators: 'InferenceAccelerator[]',
    ephemeralStorage: 'EphemeralStorage',
    runtimePlatform: 'RuntimePlatform',
    enableFaultInjection: 'scalar'
  },
  ContainerDefinition: {
    name: 'scalar',
    image: 'scalar',
    repositoryCredentials: 'RepositoryCredentials',
    cpu: 'scalar',
    memory: 'scalar',
    memoryReservation: 'scalar',
    links: 'scalar',
    portMappings: 'PortMapping[]',
    essential: 'scalar',
    restartPolicy: 'ContainerRestartPolicy',
    entryPoint: 'scalar',
    command: 'scalar',
    environment: 'KeyValuePair[]',
    environmentFiles: 'EnvironmentFile[]',
    mountPoints: 'MountPoint[]',
    volumesFrom: 'VolumeFrom[]',
    linuxParameters: 'LinuxParameters',
    secrets: 'Secret[]',
    dependsOn: 'ContainerDependency[]',
    startTimeout: 'scalar',
    stopTimeout: 'scalar',
    versionConsistency: 'scalar',
    hostname: 'scalar',
    user: 'scalar',
    workingDirectory: 'scalar',
    disableNetworking: 'scalar',
    privileged: 'scalar',
    readonlyRootFilesystem: 'scalar',
    dnsServers: 'scalar',
    dnsSearchDomains: 'scalar',
    extraHosts: 'HostEntry[]',
    dockerSecurityOptions: 'scalar',
    interactive: 'scalar',
    pseudoTerminal: 'scalar',
    dockerLabels: 'map',
    ulimits: 'Ulimit[]',
    logConfiguration: 'LogConfiguration',
    healthCheck: 'HealthCheck',
    systemControls: 'SystemControl[]',
    resourceRequirements: 'ResourceRequirement[]',
    firelensConfiguration: 'FirelensConfiguration',
    credentialSpecs: 'scalar'
  },
  ContainerDependency: {
    containerName: 'scalar',
    condition: 'scalar'
  },
  ContainerRestartPolicy: {
    enabled: 'scalar',
    ignoredExitCodes: 'scalar',
    restartAttemptPeriod: 'scalar'
  },
  Device: {
    hostPath: 'scalar',
    containerPath: 'scalar',
    permissions: 'scalar'
  },
  DockerVolumeConfiguration: {
    scope: 'scalar',
    autoprovision: 'scalar',
    driver: 'scalar',
    driverOpts: 'map',
    labels: 'map'
  },
  EFSAuthorizationConfig: {
    accessPointId: 'scalar',
    iam: 'scalar'
  },
  EFSVolumeConfiguration: {
    fileSystemId: 'scalar',
    rootDirectory: 'scalar',
    transitEncryption: 'scalar',
    transitEncryptionPort: 'scalar',
    authorizationConfig: 'EFSAuthorizationConfig'
  },
  EnvironmentFile: {
    value: 'scalar',
    type: 'scalar'
  },
  EphemeralStorage: {
    sizeInGiB: 'scalar'
  },
  FSxWindowsFileServerAuthorizationConfig: {
    credentialsParameter: 'scalar',
    domain: 'scalar'
  },
  FSxWindowsFileServerVolumeConfiguration: {
    fileSystemId: 'scalar',
    rootDirectory: 'scalar',
    authorizationConfig: 'FSxWindowsFileServerAuthorizationConfig'
  },
  FirelensConfiguration: {
    type: 'scalar',
    options: 'map'
  },
  HealthCheck: {
    command: 'scalar',
    interval: 'scalar',
    timeout: 'scalar',
    retries: 'scalar',
    startPeriod: 'scalar'
  },
  HostEntry: {
    hostname: 'scalar',
    ipAddress: 'scalar'
  },
  HostVolumeProperties: {
    sourcePath: 'scalar'
  },
  InferenceAccelerator: {
    deviceName: 'scalar',
    deviceType: 'scalar'
  },
  KernelCapabilities: {
    add: 'scalar',
    drop: 'scalar'
  },
  KeyValuePair: {
    name: 'scalar',
    value: 'scalar'
  },
  LinuxParameters: {
    capabilities: 'KernelCapabilities',
    devices: 'Device[]',
    initProcessEnabled: 'scalar',
    sharedMemorySize: 'scalar',
    tmpfs: 'Tmpfs[]',
    maxSwap: 'scalar',
    swappiness: 'scalar'
  },
  LogConfiguration: {
    logDriver: 'scalar',
    options: 'map',
    secretOptions: 'Secret[]'
  },
  MountPoint: {
    sourceVolume: 'scalar',
    containerPath: 'scalar',
    readOnly: 'scalar'
  },
  NvidiaMpsAllocation: {
    memory: 'scalar',
    maxComputePercent: 'scalar'
  },
  PortMapping: {
    containerPort: 'scalar',
    hostPort: 'scalar',
    protocol: 'scalar',
    name: 'scalar',
    appProtocol: 'scalar',
    containerPortRange: 'scalar'
  },
  ProxyConfiguration: {
    containerName: 'scalar',
    type: 'scalar',
    properties: 'KeyValuePair[]'
  },
  RepositoryCredentials: {
    credentialsParameter: 'scalar'
  },
  ResourceRequirement: {
    type: 'scalar',
    value: 'scalar',
    sharingStrategy: 'SharingStrategy'
  },
  RuntimePlatform: {
    cpuArchitecture: 'scalar',
    operatingSystemFamily: 'scalar'
  },
  S3FilesVolumeConfiguration: {
    fileSystemArn: 'scalar',
    rootDirectory: 'scalar',
    transitEncryptionPort: 'scalar',
    accessPointArn: 'scalar'
  },
  Secret: {
    name: 'scalar',
    valueFrom: 'scalar'
  },
  SharingStrategy: {
    nvidiaMps: 'NvidiaMpsAllocation'
  },
  SystemControl: {
    namespace: 'scalar',
    value: 'scalar'
  },
  Tag: {
    key: 'scalar',
    value: 'scalar'
  },
  TaskDefinitionPlacementConstraint: {
    type: 'scalar',
    expression: 'scalar'
  },
  Tmpfs: {
    containerPath: 'scalar',
    size: 'scalar',
    mountOptions: 'scalar'
  },
  Ulimit: {
    name: 'scalar',
    softLimit: 'scalar',
    hardLimit: 'scalar'
  },
  Volume: {
    name: 'scalar',
    host: 'HostVolumeProperties',
    dockerVolumeConfiguration: 'DockerVolumeConfiguration',
    efsVolumeConfiguration: 'EFSVolumeConfiguration',
    s3filesVolumeConfiguration: 'S3FilesVolumeConfiguration',
    fsxWindowsFileServerVolumeConfiguration: 'FSxWindowsFileServerVolumeConfiguration',
    configuredAtLaunch: 'scalar'
  },
  VolumeFrom: {
    sourceContainer: 'scalar',
    readOnly: 'scalar'
  }
}
