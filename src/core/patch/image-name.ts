/**
 * The repository path of an image reference, lower-cased, split into segments, without tag or digest:
 * `123.dkr.ecr.us-east-1.amazonaws.com/mirror/datadog/agent:7@sha256:…` → [`123.dkr…com`, `mirror`, `datadog`,
 * `agent`]. Mirrors (ECR pull-through caches, Artifactory …) keep the last segments, so recognising an image by
 * them works on any registry.
 */
export function repositorySegments(image: string): string[] {
  const withoutDigest = image.trim().split('@')[0] ?? ''
  // A tag follows the last colon of the last segment; a colon before a slash is a registry port.
  const repository = withoutDigest.replace(/:[^/:]*$/, '')
  return repository.toLowerCase().split('/')
}

/** Whether the repository path ends with these segments (`['datadog', 'agent']`). */
function repositoryEndsWith(image: string, ...segments: string[]): boolean {
  const path = repositorySegments(image)
  if (path.length < segments.length) return false
  return segments.every((segment, i) => path[path.length - segments.length + i] === segment)
}

/** aws-for-fluent-bit or upstream fluent-bit, from any registry. */
export function isFluentBitImage(image: string): boolean {
  return repositoryEndsWith(image, 'aws-for-fluent-bit') || repositoryEndsWith(image, 'fluent-bit')
}

/** Fluentd's own images (fluent/fluentd, fluentd-kubernetes-daemonset, bitnami/fluentd …), which cannot run Fluent Bit. */
export function isFluentdImage(image: string): boolean {
  return /fluentd/.test(repositorySegments(image).at(-1) ?? '')
}

/** Datadog's Agent image from any registry or mirror: `…/datadog/agent`, `…/datadoghq/agent`, `…/datadog-agent`. */
export function isAgentImage(image: string): boolean {
  return (
    repositoryEndsWith(image, 'datadog', 'agent') ||
    repositoryEndsWith(image, 'datadoghq', 'agent') ||
    repositoryEndsWith(image, 'datadog-agent')
  )
}
