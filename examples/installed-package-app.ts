/**
 * A new CDKTF app that installed the package (the tarball `npm run package` writes): one self-licensing
 * FortiGate in a stack. The packaging test copies it into fresh apps, for CDKTF as it is and for CDK Terrain
 * with its imports mapped, and runs it with plain `node` and as an esbuild bundle. Inside the project,
 * tsconfig's `paths` resolve the package name to constructs/, which gives the project's own synth of it.
 */
import { App, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { FortiGateServicePackage, FortiGateWithFortiFlex } from "fortiflex-azure-cdktf";

const app = new App();
const stack = new TerraformStack(app, "edge");
new LocalBackend(stack, { path: "terraform.tfstate" }); // in the stack directory (the default is an absolute path)
new AzurermProvider(stack, "azurerm", { features: [{}], subscriptionId: "11111111-1111-4111-8111-111111111111" });
const group = new ResourceGroup(stack, "Group", { name: "edge-fortigate-rg", location: "westeurope" });
const edge = new FortiGateWithFortiFlex(stack, "Edge", {
  name: "edge",
  programSerialNumber: "ELAVMS0000000518",
  accountId: 1525960,
  servicePackage: FortiGateServicePackage.UTP,
  cpu: 2,
  resourceGroupName: group.name,
  location: group.location,
  adminCidrs: ["203.0.113.0/24"],
});
new TerraformOutput(stack, "management_url", { value: edge.managementUrl });
app.synth();
