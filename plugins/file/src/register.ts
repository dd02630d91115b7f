import { defineRegisterHook } from '@ust-sync/api'
import { fileBackendDefinition } from './definition.js'

/** `ust:register` hook: contributes the `file` credential backend. */
export default defineRegisterHook(({ registry }) => registry.register(fileBackendDefinition))
