import { defineRegisterHook } from '@ust-sync/api'
import { entraSourceDefinition } from './definition.js'

/** `ust:register` hook: contributes the `entra` identity source. */
export default defineRegisterHook(({ registry }) => registry.register(entraSourceDefinition))
