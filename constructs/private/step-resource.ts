import { DataResource, type ITerraformDependable, type LocalExecProvisioner, type TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { Resource as NullResource } from "@cdktf/provider-null/lib/resource";
import { LifecycleResourceType } from "../lifecycle-resource-type";
import { addDependencies } from "./terraform-address";

/**
 * A resource that only carries local-exec steps: `null_resource` (triggers) or Terraform's built-in
 * `terraform_data` (triggers_replace); either is replaced, and its steps run again, when a trigger changes.
 */
export function stepResource(
  scope: Construct,
  id: string,
  type: LifecycleResourceType,
  triggers: Record<string, string>,
  provisioners: LocalExecProvisioner[],
  dependsOn?: ITerraformDependable[],
): TerraformResource {
  const steps = provisioners.length ? { provisioners } : {};
  const step =
    type === LifecycleResourceType.TERRAFORM_DATA
      ? new DataResource(scope, id, { triggersReplace: triggers, ...steps })
      : new NullResource(scope, id, { triggers, ...steps });
  addDependencies(step, dependsOn ?? []);
  return step;
}

/** How a destroy step refers to the resource's own triggers. */
export function selfTriggers(type: LifecycleResourceType): string {
  return type === LifecycleResourceType.TERRAFORM_DATA ? "self.triggers_replace" : "self.triggers";
}
