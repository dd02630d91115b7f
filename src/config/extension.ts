import { dirname, resolve } from 'node:path'
import { ConfigError, type ConfigIssue } from '@ust-sync/api'
import { getAt, isRecord } from './key-path.js'
import { issueAt, isYamlFailure, positionOf, readYamlFile, type YamlFile } from './read-yaml.js'

/** The keys of a UST extension file that ust reads to write the equivalent hook. */
interface UstExtension {
  files: string[]
  hook?: string
  extendedAttributes: string[]
  extendedAdobeGroups: string[]
}

const PATH = ['directory_users', 'extension']

/**
 * `directory_users.extension` naming UST extension files (a path or a list of paths, relative to the main
 * file): UST runs their Python `after_mapping_hook`; ust does not run Python. Returns the problems reading
 * them; else, with `others` problems found, one more issue saying so; else throws a ConfigError (exit 2)
 * whose message is the equivalent JavaScript mapping hook, with the files' `extended_attributes`,
 * `extended_adobe_groups` and Python code (as comments) filled in. Nothing to do when the extension is a
 * `{plugin: <id>}` map (or absent).
 */
export async function refuseUstExtension(
  main: YamlFile,
  values: Record<string, unknown>,
  encoding: string | undefined,
  others: readonly ConfigIssue[],
): Promise<ConfigIssue[]> {
  const value = getAt(values, PATH)
  const paths = typeof value === 'string' ? [value] : Array.isArray(value) ? value.map(String) : []
  if (paths.length === 0) return []
  const ext: UstExtension = { files: [], extendedAttributes: [], extendedAdobeGroups: [] }
  const issues: ConfigIssue[] = []
  for (const path of paths) {
    const file = resolve(dirname(main.file), path)
    const read = await readYamlFile(file, encoding)
    if (isYamlFailure(read)) {
      issues.push(...read.issues)
      continue
    }
    // UST merges the files key by key, a later file winning.
    ext.files.push(file)
    const { after_mapping_hook: hook, extended_attributes: attrs, extended_adobe_groups: groups } = read.value
    if (typeof hook === 'string') ext.hook = hook
    if (attrs != null) ext.extendedAttributes = listOf(attrs)
    if (groups != null) ext.extendedAdobeGroups = listOf(groups)
  }
  if (issues.length > 0) return issues
  // Listed with the other problems; the skeleton (long) comes once they are fixed.
  if (others.length > 0)
    return [
      issueAt(
        main,
        PATH,
        `${ext.files.join(', ')} is a UST extension (Python), which ust does not run`,
        'rewrite it as a JavaScript mapping hook: once the other problems are fixed, this error shows the equivalent hook',
      ),
    ]
  const { line, column } = positionOf(main, PATH)
  throw new ConfigError(
    `${main.file}:${line}:${column}: directory_users.extension: ${ext.files.join(', ')} ${ext.hook === undefined ? 'is a UST extension (with no after_mapping_hook)' : 'is a UST extension: its after_mapping_hook is Python code, which ust does not run'}. Write it as a JavaScript mapping hook plugin instead; this is the equivalent skeleton (register.js):\n\n${hookSkeleton(ext)}\n\nIts package.json declares \`"type": "module"\`, \`"oclif": {"hooks": {"ust:register": "./register.js"}}\`, \`"ust": {"apiVersion": 1, "provides": {"mappingHooks": ["${SKELETON_ID}"]}}\` and depends on @ust-sync/api (examples/plugins/hook-js is a complete one). Then link the plugin (\`ust plugins link DIR\`) and name it in the main config instead of the file:\n\n  directory_users:\n    extension:\n      plugin: ${SKELETON_ID}\n`,
    {
      code: 'config.python-extension',
      suggestions: [
        'See "Mapping hooks" in docs/plugins.md and the extension section of docs/admin/migrating-from-ust.md',
      ],
    },
  )
}

const SKELETON_ID = 'my-mapping-hook'

function listOf(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((v) => v != null).map(String)
}

/** The JavaScript plugin hook equivalent to a UST extension, its Python kept as comments to translate. */
export function hookSkeleton(ext: Omit<UstExtension, 'files'>): string {
  const python = (ext.hook ?? '').replace(/\s+$/, '').split('\n')
  const list = (items: string[]) => `[${items.map((i) => JSON.stringify(i)).join(', ')}]`
  return [
    "import { defineMappingHook, defineRegisterHook } from '@ust-sync/api'",
    '',
    'export default defineRegisterHook(({ registry }) => {',
    '  registry.register(',
    '    defineMappingHook({',
    `      id: '${SKELETON_ID}',`,
    "      description: 'after_mapping_hook of the UST extension',",
    '      create: () => ({',
    `        extendedAttributes: ${list(ext.extendedAttributes)},`,
    `        extendedAdobeGroups: ${list(ext.extendedAdobeGroups)},`,
    '        afterMapping({ sourceAttributes, sourceGroups, targetAttributes, targetGroups, storage, logger }) {',
    '          // UST (Python), to translate: source_attributes.get(x) -> sourceAttributes[x] (undefined when',
    '          // absent: test with `!= null`), target_groups.add(g) -> targetGroups.add(g),',
    '          // target_attributes[k] = v -> targetAttributes[k] = v, hook_storage -> storage',
    ...python.map((l) => `          //   ${l}`.trimEnd()),
    '        },',
    '      }),',
    '    }),',
    '  )',
    '})',
  ]
    .map((l) => `  ${l}`.trimEnd())
    .join('\n')
}

/** `directory_users.extension: {plugin, extended_attributes, extended_adobe_groups, ...settings}`, split. */
export function extensionOf(
  values: Record<string, unknown>,
):
  | { plugin: string; settings: Record<string, unknown>; extendedAttributes: string[]; extendedAdobeGroups: string[] }
  | undefined {
  const value = getAt(values, PATH)
  if (!isRecord(value) || typeof value.plugin !== 'string') return undefined
  const { plugin, extended_attributes: attrs, extended_adobe_groups: groups, ...settings } = value
  return {
    plugin,
    settings,
    extendedAttributes: attrs == null ? [] : listOf(attrs),
    extendedAdobeGroups: groups == null ? [] : listOf(groups),
  }
}
