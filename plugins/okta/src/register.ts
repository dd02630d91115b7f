import { defineRegisterHook } from '@ust-sync/api'
import { oktaSourceDefinition } from './definition.js'

/** `ust:register` hook: contributes the `okta` identity source. */
export default defineRegisterHook(({ registry }) => registry.register(oktaSourceDefinition))
