import { Testing, TerraformStack } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";

export type Block = Record<string, unknown>;
/** The parts of a synthesized stack the FortiGate tests read. */
export type Synth = {
  resource: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
  variable?: Record<string, Block>;
  output?: Record<string, Block>;
};

/** Synthesizes a stack "acme" with an Azure provider and what `build` adds. */
export function synthAzure(build: (stack: TerraformStack) => void): Synth {
  const stack = new TerraformStack(Testing.app(), "acme");
  new AzurermProvider(stack, "azurerm", { features: [{}], subscriptionId: "00000000-0000-0000-0000-000000000000" });
  build(stack);
  return JSON.parse(Testing.synth(stack)) as Synth;
}
