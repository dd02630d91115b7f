/** Injection tokens for services that are interfaces or foreign objects (classes are their own tokens). */
export const Tokens = {
  /** The oclif `Config` of the running CLI. */
  OclifConfig: Symbol('OclifConfig'),
  /** The process `Logger` (src/api/context.ts). */
  Logger: Symbol('Logger'),
  /** The `Clock` (src/api/context.ts). */
  Clock: Symbol('Clock'),
} as const
