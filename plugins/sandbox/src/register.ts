import { defineRegisterHook } from '@ust-sync/api'
import { sandboxTargetDefinition } from './definition.js'

/** `ust:register` hook: contributes the `sandbox` target. */
export default defineRegisterHook(({ registry }) => registry.register(sandboxTargetDefinition))
