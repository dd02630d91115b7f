import { isMap, isScalar, type Pair, type Scalar, type YAMLMap } from 'yaml'
import type { SecretSpec } from '@ust-sync/api'
import { getAt, parseDottedPath } from '../config/key-path.js'
import { isYamlFailure, readYamlFile, type YamlFile } from '../config/read-yaml.js'
import type { ConnectorFile, UstConfig } from '../config/types.js'
import { mainFileSecrets } from './main-secrets.js'

/** Where a secret setting is written: in plain text (`X: value`) or as a reference (`secure_X_key: service`). */
export interface SecretSite {
  file: string
  line: number
  column: number
  /** Which connector: `umapi`, `umapi (org2)` for a secondary org, `ldap`, or `main` for the main file. */
  connector: string
  /** Dotted path of the secret, e.g. `enterprise.client_secret`. */
  key: string
  form: 'plain' | 'secure'
  /** The service name of a `secure_X_key` reference. */
  service?: string
  /** The credential account (UST's keyring username); undefined when its setting is absent. */
  account?: string
  /** Dotted path of the setting holding the account, e.g. `enterprise.org_id`. */
  accountKey: string
  /**
   * An identifier that may be kept in a credential backend but is no secret (the spec's `redact: false`,
   * e.g. the UMAPI client_id): plain text is fine, so `migrate` leaves it and no permission warning names it.
   */
  identifier?: true
  /** The YAML pair as parsed (for rewriting), and its file. */
  pair: Pair<Scalar, unknown>
  yaml: YamlFile
}

/** Secret specs of a contribution, by connector plugin id. */
export type SpecLookup = (kind: 'target' | 'source', pluginId: string) => readonly SecretSpec[]

/**
 * Every secret setting in the configuration's files, plain or as a reference: the connectors' declared
 * secrets (UMAPI client_id/client_secret, LDAP password, a plugin's own) in each of their files, and the
 * main file's (see main-secrets.ts). Values are never kept.
 */
export async function findSecretSites(config: UstConfig, specs: SpecLookup, encoding?: string): Promise<SecretSite[]> {
  const sites: SecretSite[] = []
  const cache = new Map<string, YamlFile | undefined>()
  const read = async (file: string) => {
    if (!cache.has(file)) {
      const yaml = await readYamlFile(file, encoding)
      cache.set(file, isYamlFailure(yaml) ? undefined : yaml)
    }
    return cache.get(file)
  }
  const scan = async (label: string, files: string[], merged: Record<string, unknown>, list: readonly SecretSpec[]) => {
    for (const file of files) {
      const yaml = await read(file)
      if (yaml) sites.push(...sitesIn(yaml, label, merged, list))
    }
  }
  for (const target of config.adobeUsers.targets) {
    const label = target.name === 'primary' ? target.pluginId : `${target.pluginId} (${target.name})`
    await scan(label, target.files, target.values, specs('target', target.pluginId))
  }
  for (const [id, source] of Object.entries(config.directoryUsers.connectors) as [string, ConnectorFile][])
    await scan(id, source.files, source.values, specs('source', id))
  const main = await read(config.file)
  if (main) sites.push(...sitesIn(main, 'main', main.value, mainFileSecrets(main.value)))
  return sites
}

function sitesIn(
  yaml: YamlFile,
  connector: string,
  merged: Record<string, unknown>,
  specs: readonly SecretSpec[],
): SecretSite[] {
  return specs.flatMap((spec) => specSites(yaml, connector, merged, spec))
}

/** The settings of one secret spec in `yaml`: its plain key and its `secure_X_key` reference, when given. */
function specSites(yaml: YamlFile, connector: string, merged: Record<string, unknown>, spec: SecretSpec): SecretSite[] {
  const path = parseDottedPath(spec.key)
  const leaf = path[path.length - 1]!
  const parent = mapAt(yaml, path.slice(0, -1))
  if (!parent) return []
  const account = getAt(merged, parseDottedPath(spec.account))
  const sites: SecretSite[] = []
  for (const pair of parent.items as Pair<Scalar, unknown>[]) {
    const site = siteOf(yaml, connector, spec, leaf, account, pair)
    if (site) sites.push(site)
  }
  return sites
}

/** `pair` as a site of `spec` (whose last key is `leaf`), unless it is another key or has no value. */
function siteOf(
  yaml: YamlFile,
  connector: string,
  spec: SecretSpec,
  leaf: string,
  account: unknown,
  pair: Pair<Scalar, unknown>,
): SecretSite | undefined {
  if (!isScalar(pair.key) || !isScalar(pair.value)) return undefined
  const name = String(pair.key.value)
  const value = pair.value.value
  if (value === null || value === undefined || value === '') return undefined
  const form = name === leaf ? 'plain' : name === `secure_${leaf}_key` ? 'secure' : undefined
  if (!form) return undefined
  const { line, col } = yaml.lineCounter.linePos(pair.key.range?.[0] ?? 0)
  return {
    file: yaml.file,
    line,
    column: col,
    connector,
    key: spec.key,
    form,
    ...(form === 'secure' ? { service: String(value) } : {}),
    ...(typeof account === 'string' || typeof account === 'number' ? { account: String(account) } : {}),
    accountKey: spec.account,
    ...(spec.redact === false ? { identifier: true as const } : {}),
    pair,
    yaml,
  }
}

function mapAt(yaml: YamlFile, path: string[]): YAMLMap | undefined {
  let node: unknown = yaml.doc.contents
  for (const segment of path) {
    if (!isMap(node)) return undefined
    node = node.get(segment, true)
  }
  return isMap(node) ? node : undefined
}
