// Type of the first-error validator scripts/build.mjs generates beside this file (ignored by git).
/** Whether the spec is valid against the whole schema; builds no error objects. */
export default function quickValid(data: unknown): Promise<boolean>;
