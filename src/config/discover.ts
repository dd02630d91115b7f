import type { Loader } from 'cosmiconfig'

/**
 * File names searched for, in this order in each directory: UST's default name first, then ust's own.
 * JavaScript/TypeScript configs are not searched: the loader reads YAML/JSON only, to report positions.
 */
export const CONFIG_SEARCH_PLACES = [
  'user-sync-config.yml',
  'ust.config.yml',
  'ust.config.yaml',
  'ust.config.json',
  '.ustrc',
  '.ustrc.yml',
  '.ustrc.yaml',
  '.ustrc.json',
] as const

/** Discovery only locates the file; the config loader parses it (with positions) afterwards. */
const locateOnly: Loader = () => ({})

/**
 * Finds the config file for a run without `-c`: searches `cwd`, then its parents up to the project root
 * (the first directory holding a package.json) or the filesystem root, for {@link CONFIG_SEARCH_PLACES}.
 * An empty file counts (UST reads it as `{}`). Returns the absolute path, or undefined.
 */
export async function discoverConfigFile(cwd: string): Promise<string | undefined> {
  // Loaded here, not at start-up: a run with -c/--config never searches.
  const { cosmiconfig } = await import('cosmiconfig')
  const explorer = cosmiconfig('ust', {
    searchPlaces: [...CONFIG_SEARCH_PLACES],
    searchStrategy: 'project',
    ignoreEmptySearchPlaces: false,
    cache: false,
    loaders: { '.yml': locateOnly, '.yaml': locateOnly, '.json': locateOnly, noExt: locateOnly },
  })
  const result = await explorer.search(cwd)
  return result?.filepath
}
