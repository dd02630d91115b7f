import { defineRegisterHook } from '@ust-sync/api'
import { umapiTarget } from './definition.js'

/** `ust:register` hook of @ust-sync/plugin-umapi. */
export default defineRegisterHook(({ registry }) => registry.register(umapiTarget))
