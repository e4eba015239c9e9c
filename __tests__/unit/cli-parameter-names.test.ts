import * as fs from "node:fs";
import * as path from "node:path";
import { parameterName, resolveParameters, settableParameters } from "../../cli/parameter-names";
import { PRODUCT_TYPES, productTypeById } from "../../contract/product-catalog";
import { runCliCaptured } from "../helpers/cli-run";
import { startHarness, type Harness } from "../helpers/simulator-harness";

/** The CLI with the given environment (the simulator's, or none for what needs no request). */
async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runCliCaptured(argv, env);
}

describe("parameter names", () => {
  test("each product's names are unique, even ignoring case, - and _", () => {
    expect(PRODUCT_TYPES.length).toBeGreaterThan(20);
    for (const product of PRODUCT_TYPES) {
      const folded = settableParameters(product).map((p) => parameterName(p).replace(/-/g, ""));
      expect(new Set(folded).size).toBe(folded.length);
    }
  });

  test("names in any case, with - or _, and ids all resolve to the API's ids", () => {
    const bundle = productTypeById(1)!;
    const given = ["cpu", "CPU", "service-package", "servicePackage", "SERVICE_PACKAGE", "2", "forti-guard-services", "fortiguard-services"];
    expect(
      resolveParameters(
        "calc",
        bundle,
        given.map((name) => ({ name, value: "x" })),
      ).map((p) => p.id),
    ).toEqual([1, 1, 2, 2, 2, 2, 43, 43]);
  });

  test("an unknown name: the product's names, the closest one and where their values are", async () => {
    expect(await run(["calc", "-p", "ELAVMS0000000518", "--product", "FGT_VM_Bundle", "--param", "cpus=4"])).toEqual({
      code: 2,
      out: "",
      err:
        'fortiflex: calc: unknown parameter "cpus" for FGT_VM_Bundle; did you mean "cpu"? ' +
        "(parameters: cpu, service-package, vdoms, forti-guard-services, cloud-services, support-service; " +
        "fortiflex catalog FGT_VM_Bundle shows their values)\n",
    });
    // Read-only parameters are not offered: FortiFlex reports them, nobody sets them.
    expect((await run(["calc", "-p", "ELAVMS0000000518", "--product", "FORTIEDR", "--param", "endpoints=5"])).err).toBe(
      'fortiflex: calc: unknown parameter "endpoints" for FORTIEDR ' +
        "(parameters: service-package, addons, repository-storage-gb; fortiflex catalog FORTIEDR shows their values)\n",
    );
    expect((await run(["calc", "-p", "ELAVMS0000000518", "--product", "1", "--param", "cpu:4"])).err).toMatch(
      /option '--param <name=value\.\.\.>' argument 'cpu:4' is invalid\. must be <name>=<value> or <id>=<value>, e\.g\. cpu=4/,
    );
  });

  test("calc --help names the bundle's parameters and the catalog", async () => {
    const help = (await run(["calc", "--help"])).out;
    expect(help).toContain(
      "Parameters of FGT_VM_Bundle: cpu (1), service-package (2), vdoms (10), forti-guard-services (43), cloud-services (44), support-service (45).\n",
    );
    expect(help).toContain("fortiflex catalog <product>");
  });
});

describe("fortiflex catalog", () => {
  test("without a product: every product type", async () => {
    const rows = JSON.parse((await run(["catalog", "-f", "json"])).out) as { id: number; name: string }[];
    expect(rows.map((r) => r.name)).toEqual(PRODUCT_TYPES.map((p) => p.name));
    expect(rows[0]).toEqual({ id: 1, name: "FGT_VM_Bundle", form: "vm", label: "FortiGate Virtual Machine - Service Bundle" });
  });

  test("a product's parameters: name, id, allowed values or range, required, default", async () => {
    const csv = await run(["catalog", "fgt_vm_bundle", "-f", "csv"]);
    expect(csv).toEqual({
      code: 0,
      err: "",
      out: [
        "name,id,kind,required,allowed,default,description",
        "cpu,1,int,true,1-96,,CPU count",
        "service-package,2,choice,true,FC UTP ENT ATP,,service package",
        "vdoms,10,int,false,0-500,0,VDOM count",
        "forti-guard-services,43,list (repeat --param),false,FGTAVDB FGTFAIS FGTISSS FGTDLDB FGTFGSA FGTFCSS,,FortiGuard services",
        "cloud-services,44,list (repeat --param),false,FGTFAMS FGTSWNM FGTSOCA FGTFAZC FGTSWOS FGTFSPA,,cloud services",
        "support-service,45,choice,false,NONE FGTFCELU,NONE,support service",
        "",
      ].join("\n"),
    });
    // The guide shows this very output.
    const guide = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "guides", "cli.md"), "utf8");
    expect(guide).toContain(`catalog FGT_VM_Bundle -f csv\`:\n\n\`\`\`csv\n${csv.out}\`\`\`\n`);
    const table = (await run(["catalog", "205"])).out;
    expect(table).toMatch(/^FORTISASE \(product type 205, FortiSASE\); give each as --param <name or id>=<value>:\n/);
    expect(table).toMatch(/│ users +│ 48 +│ int +│ true +│ 50-50000, a multiple of 25 +│/);
    expect((await run(["catalog", "FGT_HW", "-f", "json"])).out).toContain('"allowed": "matching ^F[A-Z0-9]{3,10}$"');
    expect(await run(["catalog", "FortiGate"])).toEqual({
      code: 2,
      out: "",
      err: expect.stringMatching(/^fortiflex: catalog: unknown product "FortiGate" \(allowed: 1 FGT_VM_Bundle, /),
    });
  });
});

describe("calc by parameter name, against the simulator", () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(async () => h.close());

  test("names and ids give the same points", async () => {
    const env = { ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "cli-cache") };
    const calc = async (...params: string[]) => {
      const res = await run(
        ["calc", "-p", h.sim.seed.programSerialNumber, "--product", "FGT_VM_Bundle", ...params.flatMap((p) => ["--param", p]), "-f", "json"],
        env,
      );
      expect(res.err).toBe("");
      return JSON.parse(res.out) as { pointsPerDay: number }[];
    };
    const byName = await calc("cpu=4", "service-package=UTP", "forti-guard-services=FGTAVDB", "FortiGuard_Services=FGTDLDB");
    const byId = await calc("1=4", "2=UTP", "43=FGTAVDB", "43=FGTDLDB");
    expect(byName).toEqual(byId);
    expect(byName[0].pointsPerDay).toBeGreaterThan(0);
    // Mixed, in any case.
    expect(await calc("CPU=4", "2=UTP", "forti-guard-services=FGTAVDB", "43=FGTDLDB")).toEqual(byId);
  });
});
