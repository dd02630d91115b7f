/**
 * Generated at build time by scripts/compile-schemas.ts as dist/config/compiled-schemas.js (there is no
 * source file): ajv standalone validators for the schemas ust ships, by the JSON text of their schema.
 */
export declare const validators: ReadonlyMap<string, (data: unknown) => boolean>
