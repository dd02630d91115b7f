import { defineRegisterHook } from '@ust-sync/api'
import { keyringBackendDefinition } from './definition.js'

/** `ust:register` hook: contributes the `keyring` credential backend. */
export default defineRegisterHook(({ registry }) => registry.register(keyringBackendDefinition))
