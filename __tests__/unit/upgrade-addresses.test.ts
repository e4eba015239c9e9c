import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { STEP_IDS } from "../../contract/handler-contract";
import { hasStepId } from "../../contract/step-address";
import { buildUpgradeStacks, identitiesOf, type StackIdentities } from "../helpers/upgrade-stacks";

const ROOT = path.join(__dirname, "..", "..");
/** Steps of earlier versions an upgrade drops: none has a destroy step, so dropping them acts on nothing. */
const DROPPED = [STEP_IDS.driftRepair, STEP_IDS.settle, STEP_IDS.endpointPin];
/** Triggers a step may gain without being replaced: each is in its ignore_changes. */
const IGNORED_GAINS = ["in_place", "on_destroy"];

/**
 * What a running stack's state depends on, against every kind of step the library has written since commit
 * a5deb3e (`__tests__/fixtures/upgrade-a5deb3e.json`: identitiesOf() of every stack buildUpgradeStacks() made
 * then). Each resource of then is at the same address now, or has a `moved` block to one with the same
 * identities and triggers (a trigger gained only where ignore_changes covers it), or is an earlier version's
 * step without a destroy step. The real-terraform proof from a running stack: __tests__/terraform/upgrade.test.ts.
 */
describe("upgrade safety at synth: every step of the stacks of a5deb3e", () => {
  const before = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "upgrade-a5deb3e.json"), "utf8")) as Record<string, StackIdentities>;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-upgrade-"));
  const saved = { api: process.env.FORTIFLEX_API_URL, auth: process.env.FORTIFLEX_AUTH_URL };
  delete process.env.FORTIFLEX_API_URL;
  delete process.env.FORTIFLEX_AUTH_URL;
  const stacks = buildUpgradeStacks(ROOT, out);
  Object.assign(process.env, Object.fromEntries(Object.entries({ FORTIFLEX_API_URL: saved.api, FORTIFLEX_AUTH_URL: saved.auth }).filter(([, v]) => v)));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test("the same stacks", () => expect(stacks).toEqual(Object.keys(before)));

  test.each(Object.keys(before))("%s: every resource kept, moved with its identity, or dropped without a destroy step", (stack) => {
    const now = identitiesOf(path.join(out, "stacks", stack));
    const outcomes: Record<string, string> = {};
    for (const [address, then] of Object.entries(before[stack].resources)) {
      const target = now.moved[address]?.replace(/\[\d+\]$/, "") ?? (address in now.resources ? address : undefined);
      if (!target) {
        const dropped = DROPPED.some((id) => hasStepId(address, id));
        // A destroy step reads its identity from the stored triggers.
        const destroys = then.identities.some((identity) => String(identity).includes("self.triggers"));
        outcomes[address] = dropped && !destroys ? "dropped" : "LOST";
        continue;
      }
      const next = now.resources[target];
      const gained = Object.keys((next.triggers ?? {}) as object).filter((k) => !(k in ((then.triggers ?? {}) as object)));
      const ignored = JSON.stringify(next.lifecycle ?? {});
      const sameTriggers =
        JSON.stringify(Object.fromEntries(Object.entries((next.triggers ?? {}) as object).filter(([k]) => !gained.includes(k)))) ===
        JSON.stringify(Object.fromEntries(Object.entries((then.triggers ?? {}) as object).map(([k, v]) => [k, renamed(v, now.moved)])));
      const gainsIgnored = gained.every((k) => IGNORED_GAINS.includes(k) && ignored.includes(`[\\"${k}\\"]`));
      const sameIdentities = JSON.stringify(next.identities) === JSON.stringify(then.identities);
      outcomes[address] = sameTriggers && gainsIgnored && sameIdentities ? (target === address ? "kept" : "moved") : `CHANGED (${target})`;
    }
    expect(Object.entries(outcomes).filter(([, o]) => !["kept", "moved", "dropped"].includes(o))).toEqual([]);
    // Every step of the library is moved to its address named for people; only Azure resources keep theirs.
    const kept = Object.entries(outcomes).filter(([a, o]) => o === "kept" && /^(null_resource|terraform_data)\./.test(a));
    expect(kept).toEqual([]);
    expect(Object.values(outcomes).filter((o) => o === "moved").length).toBeGreaterThanOrEqual(2);
    // Data sources hold no state to keep; each identity they read is still read.
    const identities = (d: StackIdentities["data"]) => new Set(Object.values(d).map((x) => JSON.stringify(x)));
    const read = identities(now.data);
    expect([...identities(before[stack].data)].filter((x) => !read.has(x))).toEqual([]);
  });
});

/** A trigger value naming an old address (`${null_resource.X_Lifecycle_HASH.id}`), with the address it moved to. */
function renamed(value: unknown, moved: Record<string, string>): unknown {
  if (typeof value !== "string") return value;
  return value.replace(/\$\{((?:null_resource|terraform_data)\.[A-Za-z0-9_-]+)\.id\}/g, (whole, address: string) =>
    moved[address] ? `\${${moved[address]}.id}` : whole,
  );
}
