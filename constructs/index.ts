export * from "./fortiflex-product";
export * from "./fortiflex-configuration";
export * from "./fortiflex-vm-entitlement";
export { LifecycleResourceType } from "./local-custom-resource";
export type { FortiFlexEndpoints } from "./fortiflex-runtime";
export { ValidationError } from "./validation-error";
