import { DataResource, Fn, Lazy, TerraformLocal, Token, type ITerraformDependable, type LocalExecProvisioner, type TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { Resource as NullResource } from "@cdktf/provider-null/lib/resource";
import { LifecycleResourceType } from "../lifecycle-resource-type";
import { nameForPeople, nameLocalForPeople } from "./readable-address";
import { addDependencies } from "./terraform-address";

/** Where a step's state was in earlier versions of the library, when not at its hashed construct path. */
export interface StepHistory {
  /** Its logical id then (its construct id changed). @default - its hashed construct path */
  readonly previousId?: string;
  /** Its index now (it gained a count). @default - none */
  readonly index?: number;
}

/**
 * A resource that only carries local-exec steps: `null_resource` (triggers) or Terraform's built-in
 * `terraform_data` (triggers_replace); either is replaced, and its steps run again, when a trigger changes.
 * Its address is its construct path (see nameForPeople).
 */
export function stepResource(
  scope: Construct,
  id: string,
  type: LifecycleResourceType,
  triggers: Record<string, string>,
  provisioners: LocalExecProvisioner[],
  dependsOn?: ITerraformDependable[],
  history?: StepHistory,
): TerraformResource {
  const steps = provisioners.length ? { provisioners } : {};
  const step =
    type === LifecycleResourceType.TERRAFORM_DATA
      ? new DataResource(scope, id, { triggersReplace: triggers, ...steps })
      : new NullResource(scope, id, { triggers, ...steps });
  nameForPeople(step, history);
  addDependencies(step, dependsOn ?? []);
  return step;
}

/**
 * Triggers with one entry that is there only while `present` (a Terraform condition) holds, for a step that
 * must run again exactly when the plan finds something (drift, strays): its other triggers are unchanged, so
 * a running stack's step is not replaced for gaining it. The fixed entries live in a local (`id` in `scope`;
 * literals stay JSON template strings, as in any trigger map), merged with the optional one. `entry` is asked
 * once, at synth; without one the triggers are the local alone.
 */
export function triggersWithEntry(
  scope: Construct,
  id: string,
  fixed: Record<string, string>,
  entry: () => { readonly key: string; readonly value: string; readonly present: unknown } | undefined,
): Record<string, string> {
  const local = new TerraformLocal(scope, id, fixed);
  nameLocalForPeople(local);
  let merged: unknown;
  const produce = () => {
    if (merged !== undefined) return merged;
    const e = entry();
    merged = e ? Fn.merge([local.asAnyMap, Fn.conditional(e.present, { [e.key]: e.value }, {})]) : local.asAnyMap;
    return merged;
  };
  return Token.asStringMap(Lazy.anyValue({ produce }));
}

/** How a destroy step refers to the resource's own triggers. */
export function selfTriggers(type: LifecycleResourceType): string {
  return type === LifecycleResourceType.TERRAFORM_DATA ? "self.triggers_replace" : "self.triggers";
}
