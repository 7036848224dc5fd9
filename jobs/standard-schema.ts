/**
 * The Standard Schema interface (standardschema.dev), written out here as types only: zod (≥ 3.24), valibot
 * (≥ 1.0) and arktype schemas all satisfy it, so a job declares its output schema with whichever of them it
 * likes and the callback function validates bodies without depending on any of them.
 */
export interface StandardSchema<Output = unknown> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: unknown; readonly output: Output } | undefined;
  };
}

/** What a schema answered: the value, or the issues. */
export type StandardResult<Output> =
  { readonly value: Output; readonly issues?: undefined } | { readonly issues: readonly StandardIssue[] };

/** One problem a schema found. */
export interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** An issue as `path: message`, e.g. `approved: Invalid type`, for a 400 answer. */
export function describeIssue(issue: StandardIssue): string {
  const path = (issue.path ?? []).map((p) => String(typeof p === 'object' && p !== null ? p.key : p)).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
