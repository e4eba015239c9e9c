import { Testing, TerraformStack } from "cdktf";
import {
  FortiFlexConfiguration,
  FortiFlexProduct,
  FortiGateBundleFortiGuardService,
  FortiGateLcsCloudService,
  FortiGateLcsFortiGuardService,
} from "../../constructs";
import { checkParameters, PRODUCT_TYPES, productTypeById, type ParameterSpec, type ParameterValue, type ProductTypeSpec } from "../../contract/product-catalog";
import { startHarness, type Harness } from "../helpers/simulator-harness";
import { joinedRegExp } from "../helpers/joined-regexp";
import { fixedTriggers } from "../helpers/step-triggers";

/** A valid value of a parameter: its smallest allowed one. */
function validValue(spec: ParameterSpec): string {
  if (spec.kind === "int") return String(spec.min);
  if (spec.kind === "text") return { 27: "FGT60F", 55: "FP231F", 53: "S108EN" }[spec.id] ?? "X";
  return Object.values(spec.values ?? {})[0];
}

/** The smallest valid configuration of a product: every settable required parameter at a valid value. */
function minimal(product: ProductTypeSpec): ParameterValue[] {
  return product.parameters.filter((p) => p.required && !p.readOnly).map((p) => ({ id: p.id, value: validValue(p) }));
}

/** FortiGate VM products: [CPU parameter id, VDOM parameter id]. */
const FORTIGATE_VM_CPU_VDOMS: Record<number, [number, number]> = { 1: [1, 10], 4: [6, 11] };

/** The minimal configuration with one value changed (VDOMs on a 96-vCPU FortiGate, whose ceiling is 500). */
const withValue = (product: ProductTypeSpec, id: number, value: string): ParameterValue[] => {
  const [cpuId, vdomsId] = FORTIGATE_VM_CPU_VDOMS[product.id] ?? [];
  return [
    ...minimal(product)
      .filter((p) => p.id !== id)
      .map((p) => (id === vdomsId && p.id === cpuId ? { id: p.id, value: "96" } : p)),
    { id, value },
  ];
};

describe("the catalog, product by product and value by value", () => {
  test.each(PRODUCT_TYPES.map((p) => [`${p.id} ${p.name}`, p] as const))("%s: its minimal configuration is valid", (_, product) => {
    expect(checkParameters(product.id, minimal(product))).toEqual([]);
  });

  const settable = PRODUCT_TYPES.flatMap((product) =>
    product.parameters.filter((p) => !p.readOnly).map((spec) => [`${product.name} ${spec.id} ${spec.key}`, product, spec] as const),
  );

  test.each(settable)("%s: every allowed value passes, the values around it do not", (_, product, spec) => {
    const ok = (value: string) => expect(checkParameters(product.id, withValue(product, spec.id, value))).toEqual([]);
    const refused = (value: string) =>
      expect(checkParameters(product.id, withValue(product, spec.id, value)).join()).toMatch(new RegExp(`Parameter id ${spec.id} \\(`));
    if (spec.kind === "int") {
      ok(String(spec.min));
      ok(String(spec.max! - ((spec.max! - spec.min!) % (spec.step ?? 1))));
      refused(String(spec.max! + (spec.step ?? 1)));
      if (spec.min! > 0) refused(String(spec.min! - 1 || -1));
      if (spec.zeroAllowed) ok("0");
      if (spec.step) refused(String(spec.min! + 1));
      refused("1.5");
      return;
    }
    if (spec.kind === "text") {
      ok(validValue(spec));
      refused("not a model");
      return;
    }
    const codes = Object.values(spec.values ?? {});
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) ok(code);
    refused("BOGUS");
    for (const [code, what] of Object.entries(spec.retired ?? {})) {
      expect(checkParameters(product.id, withValue(product, spec.id, code))).toEqual([
        expect.stringContaining(`value "${code}" (${what}) is no longer available`),
      ]);
    }
  });

  test("read-only parameters are reported by FortiFlex and refused when sent", () => {
    const edr = productTypeById(206)!;
    expect(checkParameters(206, [...minimal(edr), { id: 47, value: "100" }])).toEqual([
      "Parameter id 47 (endpoints) is reported by FortiFlex and cannot be set",
    ]);
  });
});

describe("corrections against Fortinet's clients", () => {
  const problems = (productTypeId: number, id: number, value: string) => checkParameters(productTypeId, withValue(productTypeById(productTypeId)!, id, value));

  test.each([
    [4, 7, "FURL", "Web & Video Filtering"],
    [4, 7, "IOTH", "IoT Detection"],
    [4, 7, "ISSS", "Industrial Security"],
    [4, 12, "FMGC", "FortiManager Cloud"],
  ])("FGT_VM_LCS parameter %s: %s is no longer available", (productTypeId, id, code, what) => {
    expect(problems(productTypeId as number, id as number, code as string)).toEqual([
      expect.stringMatching(new RegExp(`value "${code}" \\(${what}\\) is no longer available \\(allowed: `)),
    ]);
    expect(Object.values({ ...FortiGateLcsFortiGuardService, ...FortiGateLcsCloudService })).not.toContain(code);
  });

  test("FGTFCSS (FortiConverter) is a bundle FortiGuard service (43), not a cloud service (44)", () => {
    expect(problems(1, 43, "FGTFCSS")).toEqual([]);
    expect(FortiGateBundleFortiGuardService.FORTICONVERTER).toBe("FGTFCSS");
    expect(problems(1, 44, "FGTFCSS")).toEqual([expect.stringContaining('value "FGTFCSS" is not allowed')]);
  });

  test.each([
    ["FortiSASE dedicated IPs", 205, 51, ["0", "4", "65534"], ["1", "3", "65535"]],
    ["FortiSASE users (multiples of 25)", 205, 48, ["50", "75", "50000"], ["60", "49"]],
    ["FortiSASE bandwidth (0 or 25-10000)", 205, 50, ["0", "25", "10000"], ["10", "10025"]],
    ["FortiClient EMS on-prem ZTNA (0 or 25-25000)", 5, 13, ["0", "25", "25000"], ["1", "24", "25001"]],
    ["FortiClient EMS Cloud Chromebook (0 or 25-25000, multiples of 25)", 204, 41, ["0", "25", "100"], ["24", "30"]],
    ["FortiEDR repository storage (increments of 512)", 206, 76, ["0", "512", "30720"], ["500", "31232"]],
    ["FortiRecon assets (200+, multiples of 50)", 208, 62, ["200", "250"], ["150", "225"]],
  ])("%s", (_, productTypeId, id, good, bad) => {
    for (const v of good) expect(problems(productTypeId as number, id as number, v)).toEqual([]);
    for (const v of bad) expect(problems(productTypeId as number, id as number, v)).not.toEqual([]);
  });

  test("the VDOM ceiling per vCPU count holds for FortiGate VM a la carte too (FortiFlex service offerings page)", () => {
    expect(
      checkParameters(4, [
        { id: 6, value: "1" },
        { id: 8, value: "FC247" },
        { id: 11, value: "11" },
      ]),
    ).toEqual(["Parameter id 11 (VDOM count) value 11 exceeds the maximum of 10 for 1 CPU(s)"]);
    expect(
      checkParameters(4, [
        { id: 6, value: "8" },
        { id: 8, value: "FC247" },
        { id: 11, value: "500" },
      ]),
    ).toEqual([]);
  });

  test("FortiSwitch models that start with FS (FS1D24, FS3E32) are models", () => {
    for (const model of ["FS1D24", "FS3E32", "S108EN", "SR12DP"])
      expect(
        checkParameters(103, [
          { id: 53, value: model },
          { id: 54, value: "FSWHWFC247" },
        ]),
      ).toEqual([]);
  });

  test("FortiSIEM Cloud needs its online storage (Fortinet's Terraform provider); no invented default", () => {
    expect(checkParameters(209, [{ id: 66, value: "10" }])).toEqual(["Parameter id 67 (additional online storage) is required for SIEM_CLOUD"]);
  });

  test("product types the catalog had missing are known now, with their form", () => {
    expect(PRODUCT_TYPES.map((p) => `${p.id}:${p.form}`)).toEqual(
      expect.arrayContaining([
        "101:hardware",
        "102:hardware",
        "103:hardware",
        "202:cloud",
        "203:cloud",
        "204:cloud",
        "207:cloud",
        "208:cloud",
        "211:cloud",
        "212:cloud",
      ]),
    );
  });
});

describe("FortiFlexProduct.custom: validated where the catalog knows the type, an explicit opt-out elsewhere", () => {
  const configure = (product: FortiFlexProduct) => {
    const stack = new TerraformStack(Testing.app(), "acme");
    new FortiFlexConfiguration(stack, "Config", { programSerialNumber: "ELAVMS0000000518", name: "custom", product });
    return JSON.parse(Testing.synth(stack)) as { resource: { null_resource: Record<string, { triggers: Record<string, string> }> } };
  };

  test("a known type is checked like the typed helpers", () => {
    expect(() =>
      configure(
        FortiFlexProduct.custom(205, [
          { id: 48, value: "60" },
          { id: 49, value: "FSASESTD" },
        ]),
      ),
    ).toThrow(/invalid product\.parameters\[id=48\] "60": value 60 must be a multiple of 25/);
    expect(() =>
      configure(
        FortiFlexProduct.custom(4, [
          { id: 6, value: "2" },
          { id: 8, value: "FC247" },
          { id: 11, value: "0" },
          { id: 7, value: "FURL" },
        ]),
      ),
    ).toThrow(/invalid product\.parameters\[id=7\] "FURL": value "FURL" \(Web & Video Filtering\) is no longer available/);
  });

  test("a type the catalog does not know is refused with the way out; with validate: false it is sent as given", () => {
    const unknown = [
      { id: 93, value: "FMGCLDAISN" },
      { id: 94, value: "10" },
    ];
    expect(() => configure(FortiFlexProduct.custom(210, unknown))).toThrow(
      joinedRegExp(
        /invalid product\.productTypeId "210": not in this library's catalog; FortiFlexProduct\.custom\(id, parameters, \{ validate: false \}\) /,
        /sends it unvalidated/,
      ),
    );
    const s = configure(FortiFlexProduct.custom(210, unknown, { validate: false }));
    expect(fixedTriggers(s, s.resource.null_resource.Config_Settings).fixed.parameters).toBe("93=FMGCLDAISN,94=10");
  });

  test("what JavaScript callers can pass without a type check is named, not a crash", () => {
    expect(() => configure(FortiFlexProduct.custom(1, [null as never]))).toThrow(
      /acme\/Config: invalid product\.parameters "": a list of \{ id, value \} pairs, each value a string or a number/,
    );
    expect(() => configure(FortiFlexProduct.custom(210, [{ id: 93, value: null as never }], { validate: false }))).toThrow(/a list of \{ id, value \} pairs/);
    expect(() =>
      configure(
        FortiFlexProduct.custom(
          1,
          [
            { id: 1, value: "02" },
            { id: 2, value: "UTP" },
          ],
          null as never,
        ),
      ),
    ).toThrow(/value "02" is not an integer in plain digits/);
  });

  test("unvalidated still means well-formed: ids and values FortiFlex could take, nothing Terraform would evaluate", () => {
    expect(() => configure(FortiFlexProduct.custom(0, [], { validate: false }))).toThrow(/invalid product\.productTypeId "0": a positive whole number/);
    expect(() => configure(FortiFlexProduct.custom(210, [{ id: -1, value: "1" }], { validate: false }))).toThrow(/parameter ids are positive whole numbers/);
    expect(() => configure(FortiFlexProduct.custom(210, [{ id: 93, value: '${file("/etc/passwd")}' }], { validate: false }))).toThrow(
      /values are 1-64 letters, digits, _ \. -/,
    );
  });
});

describe("the simulated API refuses what the catalog refuses", () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(async () => h.close());

  // The simulator names a retired code only where the research notes do (FMGC: FortiManager Cloud; IOTH: not named).
  test("a retired code is refused by the API as no longer available", async () => {
    await expect(
      h.client.createConfig({
        programSerialNumber: h.sim.seed.programSerialNumber,
        name: "lcs",
        productTypeId: 4,
        parameters: [
          { id: 6, value: "2" },
          { id: 8, value: "FC247" },
          { id: 11, value: "0" },
          { id: 12, value: "FMGC" },
        ],
      }),
    ).rejects.toThrow(/"FMGC" \(FortiManager Cloud\) is no longer available/);
  });

  test("groups/nexttoken takes what Fortinet's Python client sends: every field, null when not given", async () => {
    const config = await h.client.createConfig({
      programSerialNumber: h.sim.seed.programSerialNumber,
      name: "next",
      productTypeId: 1,
      parameters: [
        { id: 1, value: "2" },
        { id: 2, value: "UTP" },
      ],
    });
    await h.client.createVmEntitlements({ configId: config.id });
    const res = await fetch(`${h.sim.apiUrl}groups/nexttoken`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${await bearer(h)}` },
      body: JSON.stringify({ accountId: h.sim.seed.accountId, folderPath: null }),
    });
    const body = (await res.json()) as { status: number; entitlements: { tokenStatus: string }[] };
    expect(res.status).toBe(200);
    expect(body.entitlements[0].tokenStatus).toBe("NOTUSED");
  });
});

async function bearer(h: Harness): Promise<string> {
  const res = await fetch(h.sim.authUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: h.sim.seed.username, password: h.sim.seed.password, client_id: "flexvm", grant_type: "password" }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}
