import path from 'node:path'
import { defineTarget, type ConnectorSchema } from '@ust-sync/api'
import { SandboxTarget } from './sandbox-target.js'

/** Schema of the sandbox connector file (e.g. `connector-sandbox.yml`). */
export const sandboxConnectorSchema: ConnectorSchema = {
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['org_file'],
    properties: {
      org_file: {
        type: 'string',
        minLength: 1,
        description: 'JSON file holding the organisation; relative to the connector file.',
      },
      name: { type: 'string', minLength: 1, description: 'Name shown in messages (default: the org file name).' },
    },
  },
}

/**
 * The `sandbox` target: an Adobe-like organisation kept in a local JSON file (format: `SandboxOrg` in
 * org-types.ts), so a configuration can be rehearsed offline. Commands follow UMAPI's semantics.
 */
export const sandboxTargetDefinition = defineTarget({
  id: 'sandbox',
  description: 'A local JSON file standing in for an Adobe organisation (offline rehearsal)',
  connector: sandboxConnectorSchema,
  create: (config, context) => {
    const file = path.resolve(context.configDir, String(config.org_file))
    const name = typeof config.name === 'string' ? config.name : path.basename(file)
    return new SandboxTarget(file, name, context.logger)
  },
})
