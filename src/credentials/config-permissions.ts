import { stat } from 'node:fs/promises'
import { shellWord } from './resolve-secrets.js'
import type { SecretSite } from './secret-sites.js'

/**
 * Warnings for config files that hold a secret in plain text and can be read by the group or by others
 * (the seed's "restrict access to the config files"): each names the file, the secrets, its mode, and the
 * `chmod` / `ust credentials migrate` that fixes it. Shown at every run and by `ust config validate`.
 */
export async function permissionWarnings(sites: readonly SecretSite[], mainFile: string): Promise<string[]> {
  const plainByFile = new Map<string, string[]>()
  for (const site of sites) {
    if (site.form !== 'plain' || site.identifier) continue
    plainByFile.set(site.file, [...(plainByFile.get(site.file) ?? []), site.key])
  }
  const warnings: string[] = []
  for (const [file, keys] of plainByFile) {
    const mode = await stat(file).then(
      (s) => s.mode & 0o777,
      () => undefined,
    )
    if (mode === undefined || (mode & 0o044) === 0 || process.platform === 'win32') continue
    const who = mode & 0o004 ? 'every user of this machine' : 'its group'
    warnings.push(
      `${file} holds a plain-text secret (${keys.join(', ')}) and can be read by ${who} (mode 0${mode.toString(8).padStart(3, '0')}): ` +
        `run \`chmod 600 ${shellWord(file)}\`, or better move the secret to a credential backend with \`ust credentials migrate -c ${shellWord(mainFile)}\``,
    )
  }
  return warnings
}
