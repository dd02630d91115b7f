import type { Clock, PluginContext } from '@ust-sync/api'

/** A PluginContext for tests whose logger records every line (`lines`, as `level: message`). */
export interface RecordingContext {
  context: PluginContext
  lines: string[]
}

/**
 * Builds a {@link RecordingContext}; `configDir` is where relative paths in the connector resolve; `clock`
 * replaces real time (e.g. a faster one for a plugin that paces its requests). Each option may be given as
 * undefined (as when forwarded from a check's own options), the same as leaving it out.
 */
export function testContext(
  options: { configDir?: string | undefined; dataDir?: string | undefined; clock?: Clock | undefined } = {},
): RecordingContext {
  const lines: string[] = []
  const at = (level: string) => (message: string) => {
    lines.push(`${level}: ${message}`)
  }
  return {
    lines,
    context: {
      logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
      clock: options.clock ?? {
        now: () => Date.now(),
        sleep: (ms, signal) =>
          new Promise((resolve, reject) => {
            const timer = setTimeout(resolve, ms)
            signal?.addEventListener('abort', () => {
              clearTimeout(timer)
              reject(signal.reason)
            })
          }),
      },
      configDir: options.configDir ?? process.cwd(),
      dataDir: options.dataDir ?? process.cwd(),
      userAgent: 'ust-sync-testkit',
      tlsVerify: true,
    },
  }
}

/** Every form a secret could leak in: raw, URL-encoded, base64 (and base64url). */
function formsOf(secret: string): string[] {
  const b64 = Buffer.from(secret).toString('base64')
  return [secret, encodeURIComponent(secret), b64, b64.replace(/=+$/, ''), Buffer.from(secret).toString('base64url')]
}

/** Problems: texts (log lines, error messages) containing one of the secrets in any form. */
export function leakedSecrets(texts: string[], secrets: string[]): string[] {
  const problems: string[] = []
  for (const secret of secrets.filter((s) => s.length >= 4))
    for (const form of new Set(formsOf(secret)))
      for (const text of texts)
        if (text.includes(form))
          // The report itself must not leak it (it ends up in CI logs): the secret is masked in the excerpt.
          problems.push(
            `a secret (${secret.length} characters) appears in: ${text.replaceAll(form, '***').slice(0, 80)}…`,
          )
  return problems
}

/** The values at the dotted `keys` of `config` that are strings. */
export function secretValues(config: Record<string, unknown>, keys: string[]): string[] {
  const values: string[] = []
  for (const key of keys) {
    let node: unknown = config
    for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part]
    if (typeof node === 'string') values.push(node)
  }
  return values
}
