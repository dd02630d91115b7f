import { defineTarget, type Target } from '@ust-sync/api'
import { signConnectorSchema } from './config/connector-schema.js'
import { endpointsOf, parseSignSettings, SIGN_CAPABILITIES } from './config/sign-settings.js'
import type { SignTarget } from './sign-target.js'

/**
 * The `sign` target: an Acrobat Sign account through the REST API v6 (UST's `connector-sign.yml`).
 * Sign groups are target groups (a user's primary group); account admin and group admin are the role
 * groups `_account_admin` / `_group_admin`; removing a user from the org deactivates the account, and
 * creating an inactive user reactivates it.
 */
export const signTarget = defineTarget({
  id: 'sign',
  description: 'Acrobat Sign account through the Sign REST API v6 (connector-sign.yml)',
  connector: signConnectorSchema,
  create: (config, context) => {
    const settings = parseSignSettings(config)
    let target: Promise<SignTarget> | undefined
    let opened: SignTarget | undefined
    const open = () =>
      (target ??= import('./sign-target.js').then(({ SignTarget }) => {
        opened = new SignTarget(settings, context)
        return opened
      }))
    const lazy: Target = {
      capabilities: SIGN_CAPABILITIES,
      endpoints: () => endpointsOf(settings, context.tlsVerify),
      identity: () => `sign:${settings.entryUrl} ${settings.adminEmail.toLowerCase()}`,
      snapshot: async (scope) => (await open()).snapshot(scope),
      apply: async (commands, options) => (await open()).apply(commands, options),
      check: async () => (await open()).check(),
      stats: () => opened?.stats() ?? { requests: 0, rateLimitWaitMs: 0 },
    }
    return lazy
  },
})
