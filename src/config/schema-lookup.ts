import type { ConnectorSchema } from '@ust-sync/api'

/** Connector schemas by contribution id, from the plugin registry. */
export interface SchemaLookup {
  target(id: string): ConnectorSchema | undefined
  source(id: string): ConnectorSchema | undefined
  targetIds(): string[]
  sourceIds(): string[]
}
