import { defineRegisterHook } from '@ust-sync/api'
import { csvSourceDefinition } from './definition.js'

/** `ust:register` hook: contributes the `csv` identity source. */
export default defineRegisterHook(({ registry }) => registry.register(csvSourceDefinition))
