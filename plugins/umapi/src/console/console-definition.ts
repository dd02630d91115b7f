import { defineIdentitySource, type IdentitySource } from '@ust-sync/api'
import { endpointsOf } from '../config/umapi-settings.js'
import type { ConsoleSource } from './console-source.js'
import { consoleConnectorSchema } from './console-schema.js'
import { parseConsoleSettings } from './console-settings.js'

/**
 * The `adobe_console` identity source: the users and user groups of another Adobe org, read through UMAPI
 * (UST's `connector-adobe-console.yml`, `--connector adobe_console`), e.g. a primary org synced from
 * Azure or Google feeding trustee orgs.
 */
export const consoleSourceDefinition = defineIdentitySource({
  id: 'adobe_console',
  description: 'Users and user groups of another Adobe org through UMAPI (UST connector-adobe-console)',
  connector: consoleConnectorSchema,
  create: (config, context): IdentitySource => {
    // Settings are checked now (`ust config validate`); the client (ky) loads on first read or check.
    const settings = parseConsoleSettings(config)
    let source: Promise<ConsoleSource> | undefined
    const open = () =>
      (source ??= import('./console-source.js').then(({ ConsoleSource }) => new ConsoleSource(settings, context)))
    return {
      read: async (selection) => (await open()).read(selection),
      endpoints: () => endpointsOf(settings.umapi, context.tlsVerify),
      identity: () => `adobe_console:${settings.umapi.orgId}`,
      check: async () => (await open()).check(),
    }
  },
})
