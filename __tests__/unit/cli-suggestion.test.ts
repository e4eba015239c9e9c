import { runCliCaptured } from "../helpers/cli-run";
import { closestMatch, didYouMean, editDistance } from "../../contract/closest-name";

/** Runs the CLI with no endpoint at all: every case here is refused before a request could be made. */
async function offline(argv: string[]) {
  return runCliCaptured(argv, {});
}

describe("did you mean", () => {
  test("edit distance counts insertions, deletions and substitutions", () => {
    expect(editDistance("stop", "stop")).toBe(0);
    expect(editDistance("stp", "stop")).toBe(1);
    expect(editDistance("entitlement", "entitlements")).toBe(1);
    expect(editDistance("reactivte", "reactivate")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });

  test("the closest candidate, ignoring case, only when it is close", () => {
    expect(closestMatch("STP", ["stop", "reactivate", "token"])).toBe("stop");
    expect(closestMatch("tokn", ["stop", "reactivate", "token"])).toBe("token");
    expect(closestMatch("pause", ["stop", "reactivate", "token"])).toBeUndefined();
    expect(closestMatch("fgt_vm_bundel", ["FGT_VM_Bundle", "FGT_VM_LCS"])).toBe("FGT_VM_Bundle");
    expect(didYouMean("xyz", ["stop"])).toBe("");
  });

  test("a mistyped action, command, option or product gets a suggestion", async () => {
    expect(await offline(["entitlements", "stp", "FGVMELTM25008315"])).toEqual({
      code: 2,
      out: "",
      err: 'fortiflex: entitlements: unknown action "stp"; did you mean "stop"? (allowed: stop, reactivate, token; omit it to list)\n',
    });
    // Commands and options: commander's own suggestion.
    expect(await offline(["entitlement"])).toEqual({
      code: 2,
      out: "",
      err: "error: unknown command 'entitlement'\n(Did you mean entitlements?)\n(fortiflex <command> --help shows the usage)\n",
    });
    expect((await offline(["programs", "--formt", "json"])).err).toContain("(Did you mean --format?)");
    expect((await offline(["calc", "-p", "ELAVMS0000000518", "--product", "FGT_VM_Bundel", "--param", "1=4"])).err).toMatch(
      /^fortiflex: calc: unknown product "FGT_VM_Bundel"; did you mean "FGT_VM_Bundle"\? \(allowed: 1 FGT_VM_Bundle, /,
    );
  });
});
