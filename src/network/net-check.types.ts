import type { CheckResult } from '@ust-sync/api'
import type { EndpointReport } from './probe/types.js'

/** A plugin's own online check (`check()`): IMS token, UMAPI status, LDAP bind, ... */
export interface AuthCheck extends Omit<CheckResult, 'status'> {
  /** `umapi (primary)`, `ldap`. */
  owner: string
  /** `skipped` when a network stage of the plugin's endpoints failed first. */
  status: CheckResult['status'] | 'skipped'
}

/** Result of `ust net check` (`--json` prints it). Never holds a secret. */
export interface NetCheckResult {
  /** True when every stage and every check passed (warnings allowed). */
  ok: boolean
  /** The main config file, when one was used. */
  config?: string
  network: {
    /** `http://proxy.example.com:3128 (network.proxy)`: no credentials. */
    proxy?: string
    noProxy: string[]
    caFiles: string[]
    sslVerify: boolean
  }
  endpoints: EndpointReport[]
  auth: AuthCheck[]
  /** Host:port pairs to allow through the firewall (or, with a proxy, through the proxy). */
  firewall: string[]
}
