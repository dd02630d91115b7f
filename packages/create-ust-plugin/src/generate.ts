import { mkdir, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { ConfigError } from '@ust-sync/api'
import type { Kind, PluginOptions } from './options.js'
import { BACKEND, BACKEND_TEST } from './templates/backend.js'
import { HOOK, HOOK_TEST } from './templates/mapping-hook.js'
import { describe, packageJson, readme, TSCONFIG } from './templates/package.js'
import { SOURCE, SOURCE_TEST } from './templates/source.js'
import { TARGET, TARGET_TEST } from './templates/target.js'

const CODE: Record<Kind, [string, string]> = {
  source: [SOURCE, SOURCE_TEST],
  target: [TARGET, TARGET_TEST],
  backend: [BACKEND, BACKEND_TEST],
  'mapping-hook': [HOOK, HOOK_TEST],
}

/**
 * A template in the language asked: text in `«…»` is TypeScript only (kept without the marks in
 * TypeScript, dropped in JavaScript); `__ID__`, `__DESCRIPTION__` and `__REGISTER__` are filled in.
 */
export function render(template: string, options: PluginOptions, register: string): string {
  const typed = template.replace(/«([^»]*)»/g, options.lang === 'ts' ? '$1' : '')
  return typed
    .replaceAll('__ID__', options.id)
    .replaceAll('__DESCRIPTION__', describe(options))
    .replaceAll('__REGISTER__', register)
}

/** The files of the plugin, by path relative to its directory. */
export function pluginFiles(options: PluginOptions): Record<string, string> {
  const [code, test] = CODE[options.kind]
  const ts = options.lang === 'ts'
  return {
    'package.json': packageJson(options),
    'README.md': readme(options),
    '.gitignore': ts ? 'node_modules/\ndist/\n' : 'node_modules/\n',
    ...(ts
      ? {
          'tsconfig.json': TSCONFIG,
          'src/register.ts': render(code, options, ''),
          'test/conformance.test.ts': render(test, options, '../src/register.js'),
        }
      : {
          'register.js': render(code, options, ''),
          'test/conformance.test.js': render(test, options, '../register.js'),
        }),
  }
}

/** Writes the plugin into `options.dir`, which must not exist or be empty; returns the paths written. */
export async function generate(options: PluginOptions): Promise<string[]> {
  const existing = await readdir(options.dir).catch(() => [])
  if (existing.length > 0)
    throw new ConfigError(`${options.dir} exists and is not empty`, {
      suggestions: ['Choose another directory with --dir, or remove this one'],
    })
  const written: string[] = []
  for (const [file, text] of Object.entries(pluginFiles(options))) {
    const target = path.join(options.dir, file)
    await mkdir(path.dirname(target), { recursive: true })
    await writeFile(target, text)
    written.push(file)
  }
  return written
}
