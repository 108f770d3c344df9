// Types for gen-ecs-shape.mjs, so the TypeScript tests can import it.

/** The text of src/core/definition/ecs-shape.generated.ts for the installed @aws-sdk/client-ecs. */
export function renderEcsShape(): string
