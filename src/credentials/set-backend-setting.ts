import { isMap, isScalar, type Pair, type Scalar } from 'yaml'
import { ConfigError } from '@ust-sync/api'
import { isYamlFailure, parseYaml } from '../config/read-yaml.js'

/**
 * The text of a main config file with `credentials.backend` set to `backend`: the value replaced in place
 * when the key is there, a `backend:` line added under an existing `credentials:` block, else a
 * `credentials:` block appended. Everything else (comments, order, quoting) is kept byte for byte; the
 * result is parsed again and checked.
 */
export function setBackendSetting(file: string, text: string, backend: string): string {
  const parsed = parseYaml(file, text)
  if (isYamlFailure(parsed)) throw unsafe(file)
  const root = parsed.doc.contents
  const section = isMap(root) ? root.get('credentials', true) : undefined
  let out: string
  if (isMap(section) && section.items.length > 0 && !section.flow) {
    const pair = (section.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === 'backend')
    const value = pair?.value as Scalar | undefined
    if (pair && isScalar(value) && value.range) {
      out = text.slice(0, value.range[0]) + backend + text.slice(value.range[1])
    } else {
      const first = (section.items[0] as Pair).key as Scalar
      const start = first.range![0]
      const indent = start - text.lastIndexOf('\n', start - 1) - 1
      out = `${text.slice(0, start)}backend: ${backend}\n${' '.repeat(indent)}${text.slice(start)}`
    }
  } else if (section === undefined) {
    out = `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}\n# The credential backend holding the secrets of secure_X_key settings (set by ust credentials migrate).\ncredentials:\n  backend: ${backend}\n`
  } else throw unsafe(file)
  const check = parseYaml(file, out)
  const written = isYamlFailure(check)
    ? undefined
    : (check.value.credentials as { backend?: unknown } | undefined)?.backend
  if (written !== backend) throw unsafe(file)
  return out
}

function unsafe(file: string): ConfigError {
  return new ConfigError(
    `Could not set credentials.backend in ${file} safely (its credentials: section has an unusual layout)`,
    {
      suggestions: ['add `credentials: {backend: <id>}` to the main config file by hand'],
    },
  )
}
