import {
  hashMapper,
  hashMapperHcl,
  listMapper,
  listMapperHcl,
  StringMap,
  stringToHclTerraform,
  stringToTerraform,
  TerraformDataSource,
  type ITerraformDependable,
} from "cdktf";
import type { Construct } from "constructs";
import { nameForPeople } from "./readable-address";
import { SettinglessProvider } from "./settingless-provider";
import { addDependencies } from "./terraform-address";

/**
 * hashicorp/external, written against the framework's own base classes: the generated provider packages
 * are built for one framework and crash inside the other's app, and CDK Terrain publishes none for this
 * provider. Same provider version and output as @cdktf/provider-external 11.
 */
export const EXTERNAL_PROVIDER = { providerName: "external", providerVersion: "2.3.5", providerVersionConstraint: "~> 2.1" };

export interface ExternalDataConfig {
  /** The program and its arguments; Terraform runs it in the stack directory. */
  readonly program: string[];
  /** The JSON object written to the program's standard input. @default none */
  readonly query?: Record<string, string>;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** `data "external"`: runs a program at plan time and reads its JSON answer. Its address is its construct path (nameForPeople). */
export class ExternalData extends TerraformDataSource {
  /** The program's answer, one string per key. */
  readonly result: StringMap;
  private readonly program: string[];
  private readonly query?: Record<string, string>;

  constructor(scope: Construct, id: string, config: ExternalDataConfig) {
    super(scope, id, { terraformResourceType: "external", terraformGeneratorMetadata: EXTERNAL_PROVIDER });
    nameForPeople(this);
    addDependencies(this, config.dependsOn ?? []);
    this.result = new StringMap(this, "result");
    this.program = config.program;
    this.query = config.query;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { program: listMapper(stringToTerraform, false)(this.program), query: hashMapper(stringToTerraform)(this.query) };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    const attrs = {
      program: { value: listMapperHcl(stringToHclTerraform, false)(this.program), isBlock: false, type: "list", storageClassType: "stringList" },
      query: { value: hashMapperHcl(stringToHclTerraform)(this.query), isBlock: false, type: "map", storageClassType: "stringMap" },
    };
    return Object.fromEntries(Object.entries(attrs).filter(([, a]) => a.value !== undefined));
  }
}

/** `provider "external"` (no settings). */
export class ExternalProvider extends SettinglessProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, "external", EXTERNAL_PROVIDER);
  }
}
