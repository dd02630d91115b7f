import type { Endpoint } from '@ust-sync/api'
import type { EntraSettings } from './entra-settings.js'

/** The hosts the entra source contacts, for `ust net check` and the firewall list. */
export function endpointsOf(settings: EntraSettings, verifyTls: boolean): Endpoint[] {
  return [
    { name: 'Entra ID token', url: settings.tokenUrl, verifyTls },
    { name: 'Microsoft Graph', url: settings.graphBase, verifyTls },
  ]
}
