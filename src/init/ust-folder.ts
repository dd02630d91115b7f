import { access } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { ConfigError } from '@ust-sync/api'
import { isYamlFailure, readYamlFile } from '../config/read-yaml.js'

/** An existing UST configuration as written (raw YAML, before ust's validation). */
export interface UstFolder {
  /** The main file. */
  mainFile: string
  main: Record<string, unknown>
  /** Directory connectors by id (`ldap`, `csv`, …) with their raw content ({} when unreadable). */
  sources: Map<string, Record<string, unknown>>
  /** UMAPI connector files: the primary org's, then each secondary org's. */
  umapi: { org: string; value: Record<string, unknown> }[]
  /** Number of secondary UMAPI orgs (`{name: file}` entries). */
  secondaryOrgs: number
  /** Other targets named under adobe_users.connectors (e.g. sandbox). */
  otherTargets: string[]
}

const obj = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}

async function rawYaml(file: string): Promise<Record<string, unknown>> {
  const read = await readYamlFile(file).catch(() => undefined)
  return !read || isYamlFailure(read) ? {} : read.value
}

/** Finds the main file of `dirOrFile` (a UST folder, or the main file itself). */
async function mainFileOf(dirOrFile: string): Promise<string> {
  const candidates = dirOrFile.endsWith('.yml') || dirOrFile.endsWith('.yaml') ? [dirOrFile] : []
  candidates.push(join(dirOrFile, 'user-sync-config.yml'), join(dirOrFile, 'user-sync-config.yaml'))
  for (const file of candidates) {
    if (
      await access(file).then(
        () => true,
        () => false,
      )
    )
      return resolve(file)
  }
  throw new ConfigError(`No UST configuration found at ${dirOrFile} (looked for ${candidates.join(', ')})`, {
    suggestions: ['Give the folder that holds user-sync-config.yml, or the main file itself: ust init --from PATH'],
  })
}

/** Reads a UST folder's main file and the connector files it names, as plain data. */
export async function readUstFolder(dirOrFile: string): Promise<UstFolder> {
  const mainFile = await mainFileOf(dirOrFile)
  const read = await readYamlFile(mainFile)
  if (isYamlFailure(read)) {
    throw new ConfigError(`${mainFile} is not valid YAML`, { issues: read.issues })
  }
  const main = read.value
  const base = dirname(mainFile)
  const sources = new Map<string, Record<string, unknown>>()
  for (const [id, file] of Object.entries(obj(obj(main.directory_users).connectors))) {
    sources.set(id, typeof file === 'string' ? await rawYaml(resolve(base, file)) : {})
  }
  const targets = obj(obj(main.adobe_users).connectors)
  const umapi: UstFolder['umapi'] = []
  let secondaryOrgs = 0
  const entries = Array.isArray(targets.umapi) ? targets.umapi : targets.umapi === undefined ? [] : [targets.umapi]
  for (const entry of entries) {
    if (typeof entry === 'string') umapi.push({ org: 'primary', value: await rawYaml(resolve(base, entry)) })
    else
      for (const [org, file] of Object.entries(obj(entry))) {
        secondaryOrgs++
        umapi.push({ org, value: typeof file === 'string' ? await rawYaml(resolve(base, file)) : {} })
      }
  }
  return {
    mainFile,
    main,
    sources,
    umapi,
    secondaryOrgs,
    otherTargets: Object.keys(targets).filter((id) => id !== 'umapi'),
  }
}
