/**
 * A step's fixed triggers as synthesized: its trigger map, or, for a step whose triggers merge a local with
 * an entry the plan adds (drift on a settings step, strays on the reconcile step), that local; `merged` is
 * then the expression.
 */
export function fixedTriggers(synth: object, block: Record<string, unknown>): { fixed: Record<string, string>; merged?: string } {
  const locals = (synth as { locals?: Record<string, Record<string, string>> }).locals;
  const triggers = (block.triggers ?? block.triggers_replace) as Record<string, string> | string;
  if (typeof triggers !== "string") return { fixed: triggers };
  const local = /^\$\{(?:merge\()?local\.(\w+)(?:, |\}$)/.exec(triggers);
  if (!local || !locals?.[local[1]]) throw new Error(`triggers neither a map nor a merge with a local: ${triggers}`);
  return { fixed: locals[local[1]], merged: triggers };
}
