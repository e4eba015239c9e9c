/**
 * The value go-plugin hosts set in TF_PLUGIN_MAGIC_COOKIE for Terraform's providers: Terraform sets it when it
 * starts them, the test runner when it starts them for reattaching.
 */
export const PLUGIN_MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
