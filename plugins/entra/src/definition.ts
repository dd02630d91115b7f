import { defineIdentitySource, type IdentitySource } from '@ust-sync/api'
import { entraConnectorSchema } from './connector-schema.js'
import { endpointsOf } from './endpoints.js'
import type { EntraSource } from './entra-source.js'
import { parseEntraSettings } from './entra-settings.js'

/**
 * The `entra` identity source: users and groups of Microsoft Entra ID (Azure AD) through Microsoft Graph,
 * configured by `connector-entra.yml` (`--connector entra`, `directory_users.connectors.entra`).
 */
export const entraSourceDefinition = defineIdentitySource({
  id: 'entra',
  description: 'Users and groups from Microsoft Entra ID through Microsoft Graph (connector-entra.yml)',
  connector: entraConnectorSchema,
  create: (config, context): IdentitySource => {
    // Settings are checked now (`ust config validate`); the HTTP client (ky) loads on first read or check.
    const settings = parseEntraSettings(config)
    let source: Promise<EntraSource> | undefined
    const open = () =>
      (source ??= import('./entra-source.js').then(({ EntraSource }) => new EntraSource(settings, context)))
    return {
      read: async (selection) => (await open()).read(selection),
      endpoints: () => endpointsOf(settings, context.tlsVerify),
      // The tenant and the Graph cloud; filters are not part of it (a narrowed filter is a drop).
      identity: () => `entra:${settings.graphRoot}/${settings.tenantId.toLowerCase()}`,
      check: async () => (await open()).check(),
    }
  },
})
