// The versions come from images/Dockerfile, which Dependabot keeps current: edit that file and run
// `npm run sync-images`, never these lines alone (__tests__/images.test.ts checks that they agree).

/** The pinned default router image: aws-for-fluent-bit 3.x (Amazon Linux 2023), never latest/stable. */
export const DEFAULT_LOG_ROUTER_IMAGE = 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.17'
/** The pinned default Datadog Agent image. */
export const DEFAULT_AGENT_IMAGE = 'public.ecr.aws/datadog/agent:7.84.2'

/** The tag of an image reference (`repo:tag`), undefined when it has none or is pinned by digest only. */
export function imageTag(image: string): string | undefined {
  return /:([^/:@]+)$/.exec(image)?.[1]
}

/**
 * Whether the image can change under a running service without a deploy: no tag, `latest` or `stable`, and not
 * pinned by digest.
 */
export function isMovingTag(image: string): boolean {
  if (image.includes('@')) return false
  const tag = imageTag(image)
  return tag === undefined || tag === 'latest' || tag === 'stable'
}
