import { defineRegisterHook } from '@ust-sync/api'
import { consoleSourceDefinition } from './console/console-definition.js'
import { umapiTarget } from './definition.js'

/** `ust:register` hook of @ust-sync/plugin-umapi: the `umapi` target and the `adobe_console` identity source. */
export default defineRegisterHook(({ registry }) => {
  registry.register(umapiTarget)
  registry.register(consoleSourceDefinition)
})
