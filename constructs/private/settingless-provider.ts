import { TerraformProvider, type TerraformProviderGeneratorMetadata } from "cdktf";
import type { Construct } from "constructs";

/**
 * A `provider` block without settings, for the library's own bindings of HashiCorp's utility providers
 * (external; null in the CDK Terrain build), whose provider blocks take none.
 */
export class SettinglessProvider extends TerraformProvider {
  constructor(scope: Construct, id: string, type: string, generator: TerraformProviderGeneratorMetadata) {
    super(scope, id, { terraformResourceType: type, terraformGeneratorMetadata: generator, terraformProviderSource: type });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {};
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return {};
  }
}
