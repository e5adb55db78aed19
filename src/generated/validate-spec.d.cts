// Type of the ajv standalone validator scripts/build.mjs generates beside this file (ignored by git).
declare const validate: ((data: unknown) => boolean) & { errors?: import('ajv').ErrorObject[] | null };
export default validate;
