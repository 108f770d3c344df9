import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from '@smithy/core/config'

/**
 * The region as the AWS CLI finds it: AWS_REGION, AWS_DEFAULT_REGION, then the `region` of the profile (AWS_PROFILE,
 * else default) in the shared config and credentials files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE,
 * ~/.aws/config), read by the SDK's own loader (which reads those variables from the process's environment).
 * Undefined when none says one: the run is then offline.
 */
export async function defaultRegion(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const fromEnv = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim()
  if (fromEnv) return fromEnv
  try {
    // Without the loader's last resort, the EC2 instance metadata service: a laptop would wait on a dead address,
    // and a run without a configured region stays offline, as the action's does.
    const region = await loadConfig(
      { ...NODE_REGION_CONFIG_OPTIONS, default: () => undefined },
      NODE_REGION_CONFIG_FILE_OPTIONS
    )()
    return typeof region === 'string' && region.trim() ? region.trim() : undefined
  } catch {
    // No region anywhere (the loader throws), or an unreadable config file: the same as no region.
    return undefined
  }
}
