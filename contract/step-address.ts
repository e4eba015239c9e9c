import { STEP_IDS } from "./handler-contract";

/** Steps named by their scope too: `<id>_<program>_<account>` (earlier: `<id>_<scope hash>_<hash>`). */
const SCOPED: readonly string[] = [STEP_IDS.stopAllOnDestroy, STEP_IDS.observe, STEP_IDS.owner, STEP_IDS.settle];

/**
 * How the library's steps show in synthesized stacks and plans, for what reads them (the GitOps scripts):
 * a step's address ends with its construct id (STEP_IDS), then an index when it has a count
 * (`FortiGate_Entitlement_Settings`, `FortiFlexRuntime_Reconcile[0]`); earlier versions added cdktf's hash
 * (`FortiGate_Entitlement_Settings_FA6EA329`), which a running stack's plan may still name once.
 */
export function hasStepId(address: string, stepId: string): boolean {
  const scope = SCOPED.includes(stepId) ? "_[A-Za-z0-9-]+_[A-Za-z0-9-]+" : "";
  return new RegExp(`_${stepId}${scope}(?:_[0-9A-F]{8})?(?:\\[\\d+\\])?$`).test(address);
}

/**
 * A step's fixed triggers in a synthesized stack: its trigger map, or the local its triggers merge with the
 * entry a plan adds (`drift` on a settings step, `strays` on the reconcile step), or that local alone.
 */
export function fixedTriggersOf(
  tf: { readonly locals?: Record<string, Record<string, string>> },
  block: { readonly triggers?: Record<string, string> | string; readonly triggers_replace?: Record<string, string> | string },
): Record<string, string> {
  const triggers = block.triggers ?? block.triggers_replace ?? {};
  if (typeof triggers !== "string") return triggers;
  const local = /^\$\{(?:merge\()?local\.([A-Za-z0-9_-]+)(?:, |\}$)/.exec(triggers)?.[1];
  return (local && tf.locals?.[local]) || {};
}
