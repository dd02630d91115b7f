import { defineIdentitySource, type IdentitySource } from '@ust-sync/api'
import { oktaConnectorSchema } from './config/connector-schema.js'
import { oktaOptionsFrom } from './config/okta-options.js'
import type { OktaSource } from './okta-source.js'

/**
 * The `okta` identity source: users and group memberships from an Okta org through its Management API,
 * configured by UST's `connector-okta.yml` (`--connector okta`).
 */
export const oktaSourceDefinition = defineIdentitySource({
  id: 'okta',
  description: 'Users and groups from Okta (UST connector-okta)',
  connector: oktaConnectorSchema,
  create: (config, context): IdentitySource => {
    // Settings are checked now (`ust config validate`); the HTTP client (ky) loads on the first request.
    const options = oktaOptionsFrom(config)
    const encoding = typeof config.string_encoding === 'string' ? config.string_encoding.trim() : 'utf8'
    if (!/^utf[-_]?8$/i.test(encoding))
      context.logger.warn(
        `string_encoding: ${encoding} in connector-okta.yml has no effect: Okta's replies are UTF-8 JSON, read as such`,
      )
    let source: Promise<OktaSource> | undefined
    const open = () =>
      (source ??= import('./okta-source.js').then(({ OktaSource }) => new OktaSource(options, context)))
    return {
      read: async (selection) => (await open()).read(selection),
      endpoints: () => [{ name: 'Okta', url: options.origin, verifyTls: context.tlsVerify }],
      // The org read; the filter is not part of it (a narrowed filter is a drop).
      identity: () => `okta:${options.origin}`,
      check: async () => (await open()).check(),
    }
  },
})
