import { readFile } from 'node:fs/promises'
import { isMap, isScalar, type Pair, type Scalar } from 'yaml'
import { ConfigError } from '@ust-sync/api'
import { getAt, parseDottedPath } from '../config/key-path.js'
import { isYamlFailure, parseYaml } from '../config/read-yaml.js'
import type { SecretSite } from './secret-sites.js'

/** One plain-text secret to replace by a reference. */
export interface Replacement {
  site: SecretSite
  service: string
}

/** A YAML scalar for a service name: plain when safe, else double-quoted. */
function yamlScalar(text: string): string {
  return /^[A-Za-z0-9][\w.@-]*$/.test(text) && !/^(?:true|false|yes|no|on|off|null|~)$/i.test(text)
    ? text
    : JSON.stringify(text)
}

/**
 * The new text of one file with each plain secret `X: value` replaced by `secure_X_key: <service>` in
 * place: only the key and the value change, so comments, order, quoting, indentation and blank lines are
 * kept byte for byte. The positions come from the `yaml` document parsed from the same text; the result
 * is parsed again and checked before it is returned.
 */
export async function rewriteFile(file: string, replacements: readonly Replacement[]): Promise<string> {
  const text = await readFile(file, 'utf8')
  const fresh = parseYaml(file, text)
  if (isYamlFailure(fresh)) throw changed(file)
  const edits: { start: number; end: number; text: string }[] = []
  for (const { site, service } of replacements) {
    const path = parseDottedPath(site.key)
    const leaf = path[path.length - 1]!
    let node: unknown = fresh.doc.contents
    for (const segment of path.slice(0, -1)) node = isMap(node) ? node.get(segment, true) : undefined
    const pair = isMap(node)
      ? (node.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === leaf && isScalar(p.value))
      : undefined
    const keyRange = (pair?.key as Scalar | undefined)?.range
    const valueRange = (pair?.value as Scalar | undefined)?.range
    if (!keyRange || !valueRange) throw changed(file)
    edits.push({ start: keyRange[0], end: keyRange[1], text: `secure_${leaf}_key` })
    // a block scalar (`|`) ends with its line break: keep it, so the next key stays on its own line
    const lineBreak = text.slice(valueRange[0], valueRange[1]).endsWith('\n') ? '\n' : ''
    edits.push({ start: valueRange[0], end: valueRange[1], text: yamlScalar(service) + lineBreak })
  }
  edits.sort((a, b) => b.start - a.start)
  let out = text
  for (const edit of edits) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end)
  verify(file, out, replacements)
  return out
}

function verify(file: string, text: string, replacements: readonly Replacement[]): void {
  const parsed = parseYaml(file, text)
  if (isYamlFailure(parsed)) throw changed(file)
  for (const { site, service } of replacements) {
    const path = parseDottedPath(site.key)
    const parent = getAt(parsed.value, path.slice(0, -1)) as Record<string, unknown> | undefined
    const leaf = path[path.length - 1]!
    if (parent?.[`secure_${leaf}_key`] !== service || (parent[leaf] !== undefined && parent[leaf] !== null))
      throw changed(file)
  }
}

function changed(file: string): ConfigError {
  return new ConfigError(
    `Could not rewrite ${file} safely (its layout is unusual, or it changed while ust read it); it was left as it was`,
    {
      suggestions: [
        'replace each plain secret by `secure_X_key: <service>` by hand, after `ust credentials set` for each',
      ],
    },
  )
}
