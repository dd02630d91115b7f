/**
 * `create-ust-plugin`: the generator behind `npm create ust-plugin`. {@link main} is the command line;
 * {@link generate} writes a plugin for the given options, {@link pluginFiles} returns its files.
 * @packageDocumentation
 */
export { main } from './cli.js'
export { generate, pluginFiles, render } from './generate.js'
export { checkName, idFromName, KINDS, type Kind, LANGUAGES, type Language, type PluginOptions } from './options.js'
export { VERSIONS } from './versions.js'
