import type { Construct } from "constructs";
import { SettinglessProvider } from "../../../settingless-provider";

/**
 * hashicorp/null for the CDK Terrain build, which maps `@cdktf/provider-null` to this folder (CDK Terrain
 * publishes no null provider package, and the CDKTF one crashes inside a CDK Terrain app). Only what the
 * library uses; same provider version and output as @cdktf/provider-null 11.
 */
export const NULL_PROVIDER = { providerName: "null", providerVersion: "3.2.4", providerVersionConstraint: "~> 3.0" };

/** `provider "null"` (no settings). */
export class NullProvider extends SettinglessProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, "null", NULL_PROVIDER);
  }
}
