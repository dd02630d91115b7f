import { defineRegisterHook } from '@ust-sync/api'
import { envBackendDefinition } from './definition.js'

/** `ust:register` hook: contributes the `env` credential backend. */
export default defineRegisterHook(({ registry }) => registry.register(envBackendDefinition))
