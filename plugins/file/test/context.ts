import type { CredentialBackendContext } from '@ust-sync/api'

/** Warnings logged by a test backend. */
export const warnings: string[] = []

/** A context as the core builds it, with the data dir given and no terminal (unless `promptSecret` is). */
export function testContext(dataDir: string, extra: Partial<CredentialBackendContext> = {}): CredentialBackendContext {
  return {
    logger: { debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} },
    clock: { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    configDir: dataDir,
    dataDir,
    userAgent: 'test',
    tlsVerify: true,
    ...extra,
  }
}
