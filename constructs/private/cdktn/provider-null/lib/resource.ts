import { hashMapper, hashMapperHcl, stringToHclTerraform, stringToTerraform, TerraformResource, type LocalExecProvisioner } from "cdktf";
import type { Construct } from "constructs";
import { NULL_PROVIDER } from "./provider";

/** `resource "null_resource"` for the CDK Terrain build (see ./provider). */
export interface ResourceConfig {
  /** @default none */
  readonly triggers?: Record<string, string>;
  /** @default none */
  readonly provisioners?: LocalExecProvisioner[];
}

/** `resource "null_resource"`. */
export class Resource extends TerraformResource {
  private readonly triggers?: Record<string, string>;

  constructor(scope: Construct, id: string, config: ResourceConfig = {}) {
    super(scope, id, { terraformResourceType: "null_resource", terraformGeneratorMetadata: NULL_PROVIDER, provisioners: config.provisioners });
    this.triggers = config.triggers;
  }

  get id(): string {
    return this.getStringAttribute("id");
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { triggers: hashMapper(stringToTerraform)(this.triggers) };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    const triggers = { value: hashMapperHcl(stringToHclTerraform)(this.triggers), isBlock: false, type: "map", storageClassType: "stringMap" };
    return triggers.value === undefined ? {} : { triggers };
  }
}
