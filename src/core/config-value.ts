import { UserError } from './errors.js'

/**
 * Refuses a control character in a value that ends up in logConfiguration options: FireLens writes those into the
 * router's Fluent Bit configuration file, where a newline or tab would change the configuration.
 */
export function checkConfigValue(value: string, where: string): void {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
  const bad = /[\u0000-\u001f\u007f]/.exec(value)
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')
    throw new UserError(
      `${where} contains a control character (U+${code}).`,
      "FireLens writes this value into the log router's Fluent Bit configuration file, where a newline or tab would change the configuration. Remove it."
    )
  }
}
