import { defineRegisterHook } from '@ust-sync/api'
import { ldapSourceDefinition } from './definition.js'

/** `ust:register` hook: contributes the `ldap` identity source. */
export default defineRegisterHook(({ registry }) => registry.register(ldapSourceDefinition))
