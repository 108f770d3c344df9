// The jobs' hints are written for a workflow (a step, configure-aws-credentials, `register: false`); on a command
// line the same advice reads in its own terms. Whole phrases only, so a message that matches none stays as it is.
const PHRASES: readonly [RegExp, string][] = [
  [
    /Run aws-actions\/configure-aws-credentials \(with aws-region\) before this step/g,
    'Set AWS_REGION (or AWS_PROFILE, a profile with a region)'
  ],
  [
    /Set AWS_REGION, e\.g\. with aws-actions\/configure-aws-credentials \(aws-region: …\) before this step\./g,
    'Set AWS_REGION (or AWS_PROFILE, a profile with a region).'
  ],
  [
    /Add aws-actions\/configure-aws-credentials before this step \(with `permissions: id-token: write` for OIDC\)/g,
    'Set AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)'
  ],
  [
    /Add aws-actions\/configure-aws-credentials before this step/g,
    'Set AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)'
  ],
  [/\(aws-actions\/configure-aws-credentials: aws-region\)/g, '(or the region of AWS_PROFILE)'],
  [/\(AWS_REGION from configure-aws-credentials\)/g, '(AWS_REGION, or the region of AWS_PROFILE)'],
  [/the configure-aws-credentials step/g, 'the AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID …)'],
  [/\bset register: false\b/g, 'pass --register false'],
  [/`register: false`/g, '`--register false`'],
  [/\bsince this step does not register\b/g, 'since this run does not register'],
  [/\bbefore re-running this step\b/g, 'before running it again']
]

/** A job's message in the command line's terms. */
export function cliWording(message: string): string {
  let text = message
  for (const [phrase, replacement] of PHRASES) text = text.replace(phrase, replacement)
  return text
}
