import type { ITerraformDependable } from "cdktf";
import type { IConstruct } from "constructs";
import type { LifecycleResourceType } from "../lifecycle-resource-type";

/**
 * What an entitlement takes from its configuration beyond the public interface: kept out of
 * `IFortiFlexConfiguration` so users see attributes, not plumbing. Only this library's configurations
 * (managed or `fromConfigId`) have one.
 */
export interface ConfigurationWiring {
  /** How the handler finds it: the stack's key, or "#<id>" for one made elsewhere. */
  readonly reference: string;
  /** What the entitlements' steps are built from, unless they say otherwise. */
  readonly lifecycleResourceType: LifecycleResourceType;
  /** Whether the entitlements on it check drift at plan time, unless they say otherwise. */
  readonly detectDrift: boolean;
  /** What entitlements on it depend on (empty for one made elsewhere). */
  readonly dependables: ITerraformDependable[];
}

const wirings = new WeakMap<IConstruct, ConfigurationWiring>();

export function wireConfiguration(configuration: IConstruct, wiring: ConfigurationWiring): void {
  wirings.set(configuration, wiring);
}

/** The wiring of a configuration this library made; undefined for anything else. */
export function wiringOf(configuration: unknown): ConfigurationWiring | undefined {
  return typeof configuration === "object" && configuration !== null ? wirings.get(configuration as IConstruct) : undefined;
}
