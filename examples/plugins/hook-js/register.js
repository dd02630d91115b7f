// The `company-groups` mapping hook: UST's example extension (examples/config files - custom attributes
// and mappings/extension-config.yml) in JavaScript. Plain ESM, no build step. Main config:
//
//   directory_users:
//     extension:
//       plugin: company-groups
//       fail_on: <email>   # optional, for tests: throw for this user (shows how a failing hook stops the run)
//
// UST's after_mapping_hook, for comparison:
//   bc = source_attributes.get('bc')
//   subco = source_attributes.get('subco')
//   if bc is not None:
//     target_attributes['country'] = bc[0:2]
//   if subco == 'Company 1':
//     target_groups.add('Company 1 Users')
//   elif subco == 'Company 2':
//     target_groups.add('Company 2 Users')
import { ConfigError, defineMappingHook, defineRegisterHook } from '@ust-sync/api'

/** The company a `subco` value puts a user in, and that company's Adobe group. */
const COMPANY_GROUPS = { 'Company 1': 'Company 1 Users', 'Company 2': 'Company 2 Users' }

export const companyGroups = defineMappingHook({
  id: 'company-groups',
  description: "Example: UST's example extension (country from bc, Company N Users from subco)",
  create(settings) {
    const { fail_on: failOn, ...unknown } = settings
    if (Object.keys(unknown).length > 0)
      throw new ConfigError(`company-groups: unknown setting ${Object.keys(unknown).join(', ')} (known: fail_on)`)
    return {
      // UST's extended_attributes and extended_adobe_groups: read from the directory, managed by the sync.
      extendedAttributes: ['bc', 'subco'],
      extendedAdobeGroups: Object.values(COMPANY_GROUPS),
      afterMapping({ sourceAttributes, targetAttributes, targetGroups }) {
        if (failOn !== undefined && targetAttributes.email === failOn) throw new Error('fail_on asked for this user')
        const { bc, subco } = sourceAttributes
        // `!= null`: a missing attribute and an empty one are told apart as in Python (None vs '').
        // LDAP gives an array for a multi-valued attribute: Python would slice the list, we take its first value.
        if (bc != null) targetAttributes.country = (Array.isArray(bc) ? (bc[0] ?? '') : bc).slice(0, 2)
        const group = typeof subco === 'string' && Object.hasOwn(COMPANY_GROUPS, subco) ? COMPANY_GROUPS[subco] : undefined
        if (group) targetGroups.add(group)
      },
    }
  },
})

export default defineRegisterHook(({ registry }) => {
  registry.register(companyGroups)
})
