import * as crypto from "node:crypto";
import { asObject, sameValue, UNKNOWN, type Value } from "./dynamic-value";
import { error, type ManagedResourceType, type ProviderDefinition } from "./provider-definition";

/**
 * hashicorp/null as this project uses it: `null_resource`, whose only behaviour is an id that is random at
 * create time and a `triggers` map whose change forces replacement (so that its provisioners run again).
 */
const nullResource: ManagedResourceType = {
  schema: {
    version: 0,
    description: "A resource that does nothing itself; its provisioners run when it is created or replaced.",
    attributes: [
      { name: "id", type: "string", description: "A random value set at create time.", computed: true },
      { name: "triggers", type: ["map", "string"], description: "Arbitrary strings; any change replaces the resource.", optional: true },
    ],
  },
  validate: () => [],
  plan(prior, proposed, config) {
    if (!proposed || !config) return { planned: null };
    if (!prior) return { planned: { id: UNKNOWN, triggers: config.triggers } };
    if (!triggersForceReplacement(prior.triggers ?? null, config.triggers ?? null)) return { planned: { id: prior.id, triggers: config.triggers } };
    // Terraform then plans the replacement's create with no prior state, which gives it a new id.
    return { planned: { id: UNKNOWN, triggers: config.triggers }, requiresReplace: ["triggers"] };
  },
  apply(_prior, planned) {
    if (!planned) return { state: null };
    const id = typeof planned.id === "string" ? planned.id : randomId();
    return { state: { id, triggers: planned.triggers } };
  },
  read: (current) => ({ state: current }),
  upgrade(version, stored) {
    const state = asObject(stored);
    if (version !== 0 || !state)
      return { state: null, diagnostics: [error("Unexpected null_resource state", `schema version ${version} or state shape not known to this provider`)] };
    return { state: { id: state.id ?? null, triggers: (state.triggers as Value) ?? null } };
  },
};

/**
 * The real provider's rule (a map change replaces the resource unless it only adds null values): no
 * triggers and `{}` are the same, and a new key whose value is null changes nothing. Any other difference,
 * or a value not known yet, replaces it.
 */
function triggersForceReplacement(prior: Value, planned: Value): boolean {
  if (sameValue(prior, planned)) return false;
  const before = asObject(prior) ?? {};
  const after = asObject(planned);
  if (!after) return Object.keys(before).length > 0 || planned !== null;
  const removed = Object.keys(before).some((k) => !(k in after));
  const changed = Object.entries(after).some(([k, v]) => !(v === null && !(k in before)) && !sameValue(v, before[k] ?? null));
  return removed || changed;
}

/** A random non-negative 63-bit integer in decimal, like the real provider's ids. */
function randomId(): string {
  return (crypto.randomBytes(8).readBigUInt64BE() >> 1n).toString();
}

export const nullProvider: ProviderDefinition = {
  name: "null",
  providerSchema: { version: 0, description: "", attributes: [] },
  resources: { null_resource: nullResource },
  dataSources: {},
  stop: () => undefined,
};
