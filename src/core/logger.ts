/** Annotation properties, a subset of @actions/core's, so the core never imports the toolkit. */
export interface AnnotationProps {
  title?: string
  file?: string
  /** 1-based line in `file`, where known. */
  line?: number
  /** 1-based column in `file`, where known (only with `line`). */
  col?: number
}

/** What the core and the AWS wrappers may say. The shells back it (@actions/core, the CLI's stderr); tests with an array. */
export interface Logger {
  info(message: string): void
  debug(message: string): void
  notice(message: string, props?: AnnotationProps): void
  warning(message: string, props?: AnnotationProps): void
}
