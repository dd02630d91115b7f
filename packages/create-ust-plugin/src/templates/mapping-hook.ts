/** A mapping hook (UST's after_mapping_hook): the country from an extended attribute. */
export const HOOK = `import { defineMappingHook, defineRegisterHook } from '@ust-sync/api'

/**
 * The \`__ID__\` mapping hook, selected by \`directory_users.extension: {plugin: __ID__}\`. It reads the
 * directory attribute \`c\` and sets the user's country from its first two letters. The other keys of the
 * extension map arrive as \`settings\`.
 */
export const hook = defineMappingHook({
  id: '__ID__',
  description: '__DESCRIPTION__',
  // Once per run; must not connect anywhere (ust config validate calls it).
  create(settings, context) {
    context.logger.debug(\`settings: \${Object.keys(settings).join(', ') || 'none'}\`)
    return {
      extendedAttributes: ['c'],
      extendedAdobeGroups: [],
      // Synchronous: ust does not await it.
      afterMapping({ sourceAttributes, targetAttributes }) {
        const c = sourceAttributes.c
        const country = Array.isArray(c) ? c[0] : c
        if (country != null && country.length >= 2) targetAttributes.country = country.slice(0, 2).toUpperCase()
      },
    }
  },
})

export default defineRegisterHook(({ registry }) => registry.register(hook))
`

/** The conformance test of the mapping hook. */
export const HOOK_TEST = `import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkMappingHook, checkPluginPackage } from '@ust-sync/plugin-testkit'
import { expect, it } from 'vitest'
import register, { hook } from '__REGISTER__'

it('keeps the ust plugin contract', async () => {
  await checkPluginPackage(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), { register })
  const { outcomes } = await checkMappingHook(hook, {
    users: [{ sourceAttributes: { c: 'jp' }, targetAttributes: { country: 'US' } }, { sourceAttributes: {} }],
  })
  expect(outcomes).toEqual([{ targetAttributes: { country: 'JP' }, targetGroups: [] }, { targetAttributes: {}, targetGroups: [] }])
})
`
