import { defineRegisterHook } from '@ust-sync/api'
import { signTarget } from './definition.js'

/** `ust:register` hook of @ust-sync/plugin-sign. */
export default defineRegisterHook(({ registry }) => registry.register(signTarget))
