/**
 * The handler bundle's text in a published package: the package build (packaging/build-package.ts) replaces
 * this module's compiled output with the bundle, so an app finds its handler even when it bundles the
 * library into one file. A checkout has none and builds the handler from custom-provider/.
 */
export const EMBEDDED_HANDLER: string | undefined = undefined;
