/** Annotation properties, a subset of @actions/core's, so the core never imports the toolkit. */
export interface AnnotationProps {
  title?: string
  file?: string
}

/** What the core and the AWS wrappers may say. main.ts backs it with @actions/core; tests with an array. */
export interface Logger {
  info(message: string): void
  debug(message: string): void
  notice(message: string, props?: AnnotationProps): void
  warning(message: string, props?: AnnotationProps): void
}
