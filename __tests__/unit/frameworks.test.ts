import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { TerraformStack } from "cdktf";
import { FortiFlexConfiguration, FortiFlexProduct, FortiGateServicePackage, FortiGateVm, FortiGateWithFortiFlex, FortiGateLicense } from "../../constructs";
import { synthAzure, type Synth } from "../helpers/azure-synth";
import { frameworkNodeArgs, TEST_FRAMEWORK } from "../helpers/framework";

/**
 * The suite runs on CDKTF (`npm test`) and on CDK Terrain (`npm run test:cdktn`, the same sources with the
 * imports mapped). These tests prove which one a run uses, and what a user who mixes them sees.
 */
const ROOT = path.join(__dirname, "..", "..");
const OTHER = TEST_FRAMEWORK === "cdktf" ? "cdktn" : "cdktf";
const LIBRARY = { cdktf: "fortiflex-azure-cdktf", cdktn: "fortiflex-azure-cdktn" };
const EXPECTED = {
  cdktf: { name: "CDKTF", core: "0.21.0", azurerm: "4.55.0" },
  cdktn: { name: "CDK Terrain", core: "0.24.0", azurerm: "4.73.0" },
};

const edge = {
  name: "acme",
  programSerialNumber: "ELAVMS0000000518",
  servicePackage: FortiGateServicePackage.UTP,
  cpu: 2,
  resourceGroupName: "acme-rg",
  location: "westeurope",
  adminCidrs: ["203.0.113.0/24"],
};

test(`this run synthesizes with ${TEST_FRAMEWORK} and its azurerm provider package`, () => {
  const synth = synthAzure((stack) => new FortiGateWithFortiFlex(stack, "Edge", edge)) as Synth & { terraform: { required_providers: unknown } };
  const core = require("cdktf/package.json") as { name: string; version: string };
  expect(core).toMatchObject({ name: TEST_FRAMEWORK, version: EXPECTED[TEST_FRAMEWORK].core });
  expect(synth.terraform.required_providers).toMatchObject({
    azurerm: { version: EXPECTED[TEST_FRAMEWORK].azurerm },
    null: { source: "null", version: "3.2.4" },
    external: { source: "external", version: "2.3.5" },
  });
});

describe(`a ${OTHER} stack given to the ${TEST_FRAMEWORK} build`, () => {
  // Loaded by path: the CDK Terrain run maps the package name "cdktf" to cdktn.
  const other = require(path.join(ROOT, "node_modules", OTHER)) as typeof import("cdktf");
  const otherStack = () => new other.TerraformStack(new other.App({ outdir: "/nonexistent", skipValidation: true }), "mixed");
  const message = new RegExp(
    `^mixed/Edge: [\\w.]+ comes from "${LIBRARY[TEST_FRAMEWORK]}", built for ${EXPECTED[TEST_FRAMEWORK].name} \\("${TEST_FRAMEWORK}"\\), ` +
      `but stack mixed is a ${EXPECTED[OTHER].name} stack \\("${OTHER}"\\)\\. Import the constructs from "${LIBRARY[OTHER]}" instead\\.$`,
  );

  test.each([
    ["FortiGateWithFortiFlex", (s: TerraformStack) => new FortiGateWithFortiFlex(s, "Edge", edge)],
    [
      "FortiFlexConfiguration",
      (s: TerraformStack) =>
        new FortiFlexConfiguration(s, "Edge", {
          programSerialNumber: edge.programSerialNumber,
          name: "x",
          product: FortiFlexProduct.fortiGateVmBundle({ cpu: 2, servicePackage: FortiGateServicePackage.UTP }),
        }),
    ],
    ["FortiGateVm", (s: TerraformStack) => new FortiGateVm(s, "Edge", { ...edge, license: FortiGateLicense.fromToken("0123456789ABCDEF0123") })],
    [
      "FortiFlexConfiguration.fromConfigId",
      (s: TerraformStack) => FortiFlexConfiguration.fromConfigId(s, "Edge", { programSerialNumber: edge.programSerialNumber, configId: 42 }),
    ],
  ])("%s is refused before anything is built, naming the import to use", (construct, build) => {
    const stack = otherStack();
    expect(() => build(stack as unknown as TerraformStack)).toThrow(message);
    expect(() => build(otherStack() as unknown as TerraformStack)).toThrow(new RegExp(`: ${construct.replace(".", "\\.")} comes from`));
    expect(stack.node.findAll().length).toBe(2); // the stack and the construct that refused it, nothing under it
  });
});

test(`a ${OTHER} stack class published with jsii (its own type name) is recognized through its parent class`, () => {
  const other = require(path.join(ROOT, "node_modules", OTHER)) as typeof import("cdktf");
  class CustomerStack extends other.TerraformStack {}
  Object.defineProperty(CustomerStack, Symbol.for("jsii.rtti"), { value: { fqn: "acme-constructs.CustomerStack", version: "1.0.0" } });
  const stack = new CustomerStack(new other.App({ outdir: "/nonexistent", skipValidation: true }), "mixed");
  expect(() => new FortiGateWithFortiFlex(stack as unknown as TerraformStack, "Edge", edge)).toThrow(`Import the constructs from "${LIBRARY[OTHER]}" instead.`);
});

describe("CDK Terrain's creation stacks", () => {
  // A fresh process per case: the switch is read when the library loads.
  const probe = (framework: "cdktf" | "cdktn", preset?: string) => {
    const script =
      `require("ts-node").register({ transpileOnly: true });` +
      `const { Lazy, Tokenization } = require("cdktf"); require(${JSON.stringify(path.join(ROOT, "constructs"))});` +
      `const token = Tokenization.reverseString(Lazy.stringValue({ produce: () => "x" })).tokens[0];` +
      `console.log(JSON.stringify({ env: process.env.CDKTN_DISABLE_CREATION_STACK ?? "unset", frames: token.creationStack.length }));`;
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.CDKTN_DISABLE_CREATION_STACK;
    if (preset !== undefined) env.CDKTN_DISABLE_CREATION_STACK = preset;
    const args = framework === "cdktn" ? ["-r", path.join(ROOT, "packaging", "register-cdktn.js")] : [];
    const res = spawnSync(process.execPath, [...args, "-e", script], { cwd: ROOT, env, encoding: "utf8" });
    expect(res.stderr).toBe("");
    return JSON.parse(res.stdout) as { env: string; frames: number };
  };

  test("are skipped on CDK Terrain once the library is loaded; CDKTF is left as it is", () => {
    expect(probe("cdktn")).toEqual({ env: "1", frames: 0 });
    expect(probe("cdktf").env).toBe("unset");
    expect(probe("cdktf").frames).toBeGreaterThan(0);
  });

  test("a user who asks for traces (CDKTN_DISABLE_CREATION_STACK=0) keeps them", () => {
    const kept = probe("cdktn", "0");
    expect(kept.env).toBe("0");
    expect(kept.frames).toBeGreaterThan(0);
  });

  test("the CDK Terrain map reaches child processes (node -r packaging/register-cdktn.js), and this run's children get its framework", () => {
    const core = (args: string[]) =>
      spawnSync(process.execPath, [...args, "-e", `console.log(require("cdktf/package.json").name)`], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
    expect(core([])).toBe("cdktf");
    expect(core(["-r", path.join(ROOT, "packaging", "register-cdktn.js")])).toBe("cdktn");
    expect(core(frameworkNodeArgs())).toBe(TEST_FRAMEWORK);
  });
});
