import { access, readFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { API_VERSION, type Contribution, type RegisterHookOptions } from '@ust-sync/api'
import { attempt, messageOf, Recorder } from './report.js'
import { isRecord } from './shape.js'

type RegisterHook = (options: RegisterHookOptions) => unknown

/** What {@link checkPluginPackage} found: the contributions, to pass to the other checks. */
export interface PackageReport {
  subject: string
  passed: string[]
  skipped: string[]
  contributions: Contribution[]
}

const PROVIDES: Record<Contribution['kind'], string> = {
  identitySource: 'identitySources',
  target: 'targets',
  credentialBackend: 'credentialBackends',
  mappingHook: 'mappingHooks',
}

/** How long the register hook may take (ust's own limit is 10 s). */
const HOOK_LIMIT_MS = 5000

/**
 * Checks a plugin package the way ust loads it: package.json declares `"ust": {"apiVersion"}` equal to
 * this contract's, an `oclif.hooks["ust:register"]` file that exists, `@ust-sync/api` as a runtime
 * dependency (not `ust-sync`), no other oclif hooks (ust does not run them); the hook registers within
 * the time limit exactly what `"ust": {"provides"}` declares. `register` replaces importing the hook file
 * (e.g. to test TypeScript sources before a build).
 */
export async function checkPluginPackage(
  dir: string,
  options: { register?: RegisterHook } = {},
): Promise<PackageReport> {
  const pjson = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>
  const r = new Recorder(`plugin ${String(pjson.name)}`)
  const ust = isRecord(pjson.ust) ? pjson.ust : {}
  const oclif = isRecord(pjson.oclif) ? pjson.oclif : {}
  const hooks = isRecord(oclif.hooks) ? oclif.hooks : {}
  const deps = isRecord(pjson.dependencies) ? pjson.dependencies : {}
  r.rule(
    `package.json declares "ust": {"apiVersion": ${API_VERSION}}`,
    ust.apiVersion === API_VERSION ? [] : [`found ${JSON.stringify(ust.apiVersion)}`],
  )
  const hookFile = hooks['ust:register']
  r.rule('package.json declares oclif.hooks["ust:register"]', typeof hookFile === 'string' ? [] : ['missing'])
  r.rule(
    'oclif hooks other than ust:register are absent (ust does not run them)',
    Object.keys(hooks)
      .filter((h) => h !== 'ust:register')
      .map((h) => `declares "${h}"`),
  )
  r.rule('@ust-sync/api is a runtime dependency and ust-sync is not', [
    ...(deps['@ust-sync/api'] ? [] : ['add "@ust-sync/api" to "dependencies" (it is imported at run time)']),
    ...(deps['ust-sync'] ? ['"ust-sync" must not be a dependency: import from @ust-sync/api'] : []),
  ])

  let register = options.register
  if (!register && typeof hookFile === 'string') {
    const file = path.join(dir, hookFile)
    const [, missing] = await attempt(() => access(file))
    if (r.rule('the ust:register hook file exists (built)', missing ? [`${hookFile} not found`] : [])) {
      const [module, error] = await attempt(() => import(pathToFileURL(file).href) as Promise<Record<string, unknown>>)
      r.rule('the hook file loads', error ? [messageOf(error)] : [])
      register = module?.default as RegisterHook | undefined
    }
  }
  const contributions: Contribution[] = []
  if (typeof register === 'function') {
    let timer: NodeJS.Timeout | undefined
    const limit = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not finish within ${HOOK_LIMIT_MS} ms`)), HOOK_LIMIT_MS)
    })
    const [, error] = await attempt(() =>
      Promise.race([
        register({ registry: { apiVersion: API_VERSION, register: (c) => contributions.push(c) } }),
        limit,
      ]),
    )
    clearTimeout(timer)
    r.rule('the register hook finishes without throwing', error ? [messageOf(error)] : [])
    const provides = isRecord(ust.provides) ? ust.provides : {}
    const declared = Object.entries(provides).flatMap(([k, ids]) =>
      Array.isArray(ids) ? ids.map((id) => `${k}:${id}`) : [],
    )
    const registered = contributions.map((c) => `${PROVIDES[c.kind] ?? c.kind}:${c.id}`)
    r.rule('it registers exactly what "ust.provides" declares', [
      ...declared.filter((d) => !registered.includes(d)).map((d) => `declared but not registered: ${d}`),
      ...registered.filter((d) => !declared.includes(d)).map((d) => `registered but not declared: ${d}`),
    ])
    const ids = contributions.map((c) => `${c.kind}:${c.id}`)
    r.rule(
      'no id is registered twice',
      ids.filter((id, i) => ids.indexOf(id) !== i).map((id) => `${id} twice`),
    )
  } else r.rule('the ust:register hook exports a function (export default)', ['no hook function found'])
  return { ...r.finish(), contributions }
}
