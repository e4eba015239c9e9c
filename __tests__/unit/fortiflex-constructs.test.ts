import { Construct } from "constructs";
import { Resource as NullResource } from "@cdktf/provider-null/lib/resource";
import { App, Testing, TerraformOutput, TerraformStack, TerraformVariable, type TerraformResource } from "cdktf";
import {
  EntitlementDesiredStatus,
  FortiAnalyzerAddon,
  FortiFlexConfiguration,
  FortiFlexProduct,
  FortiFlexVmEntitlement,
  FortiGateBundleCloudService,
  FortiGateBundleFortiGuardService,
  FortiGateLcsSupportService,
  FortiGateServicePackage,
  FortiWebServicePackage,
  LifecycleResourceType,
  type FortiFlexConfigurationProps,
} from "../../constructs";
import { terraformLiteral } from "../../constructs/private/terraform-literal";
import { FortiFlexRuntime } from "../../constructs/private/fortiflex-runtime";
import { joinedRegExp } from "../helpers/joined-regexp";
import { fixedTriggers } from "../helpers/step-triggers";

/** Synth-time behaviour of the FortiFlex constructs: resources, options, keys and validation. */
type Synth = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  provider?: Record<string, unknown>;
  output?: Record<string, { value: string; sensitive?: boolean }>;
};

const PROGRAM = "ELAVMS0000000518";
const bundle = (cpu = 2) => FortiFlexProduct.fortiGateVmBundle({ cpu, servicePackage: FortiGateServicePackage.UTP });

function stackWith(build: (stack: TerraformStack) => void, name = "acme"): Synth {
  const app = Testing.app();
  const stack = new TerraformStack(app, name);
  build(stack);
  return JSON.parse(Testing.synth(stack));
}

const config = (stack: TerraformStack, extra: Partial<FortiFlexConfigurationProps> = {}, id = "Config") =>
  new FortiFlexConfiguration(stack, id, { programSerialNumber: PROGRAM, accountId: 1525960, name: "acme", product: bundle(), ...extra });

/** Blocks of one resource type whose logical id starts with `prefix` (e.g. "Config_Lifecycle"). */
const resources = (s: Synth, type: string, prefix = "") =>
  Object.entries(s.resource?.[type] ?? {})
    .filter(([id]) => id.startsWith(prefix))
    .map(([, block]) => block);
const find = (s: Synth, type: string, prefix: string) => resources(s, type, prefix)[0];

describe("FortiFlexConfiguration and FortiFlexVmEntitlement synth", () => {
  test("lifecycle resource carries identity only, with a destroy step that reads self.triggers", () => {
    const s = stackWith((stack) => config(stack));
    const lifecycle = find(s, "null_resource", "Config_Lifecycle");
    expect(lifecycle.triggers).toEqual({
      kind: "config",
      key: "acme/Config",
      program_serial_number: PROGRAM,
      account_id: "1525960",
      product_type_id: "1",
      api_url: "https://support.fortinet.com/ES/api/fortiflex/v2/",
      auth_url: "https://customerapiauth.fortinet.com/api/v1/oauth/token/",
    });
    const [create, destroy] = lifecycle.provisioner as { "local-exec": Record<string, unknown> }[];
    expect(create["local-exec"]).toEqual(
      expect.objectContaining({ command: "ensure", interpreter: ["node", expect.stringMatching(/^\$\{path\.module\}\/assets\/.+\/fortiflex-handler\.js$/)] }),
    );
    expect(destroy["local-exec"]).toEqual(
      expect.objectContaining({
        command: "destroy",
        when: "destroy",
        environment: { FORTIFLEX_IDENTITY: "${jsonencode(self.triggers)}", FORTIFLEX_ALLOW_NON_FORTINET_HOST: "false" },
      }),
    );
  });

  test("settings resource: readable triggers, replaced on change, no destroy step", () => {
    const s = stackWith((stack) => config(stack));
    const settings = find(s, "null_resource", "Config_Settings");
    expect(fixedTriggers(s, settings).fixed).toEqual({
      lifecycle: "${null_resource.Config_Lifecycle.id}",
      name: "acme",
      parameters: "1=2,2=UTP,10=0,43=NONE,44=NONE,45=NONE",
      // Recorded, never a reason to run: a plan that replaces the step shows in words that only settings change.
      in_place:
        'settings applied in place (nothing is created, stopped or rebuilt): name "acme"; CPU count 2, service package UTP, VDOM count 0, ' +
        "FortiGuard services NONE, cloud services NONE, support service NONE",
    });
    expect(settings.lifecycle).toEqual({ ignore_changes: ['triggers["in_place"]'] });
    // With drift detection (the default) it also repairs: `ensure` restores an object lost by its key too.
    expect((settings.provisioner as unknown[]).map((p) => (p as { "local-exec": { command: string; when?: string } })["local-exec"])).toEqual([
      expect.objectContaining({ command: "ensure" }),
    ]);
    const quiet = stackWith((stack) => config(stack, { detectDrift: false }));
    const plain = find(quiet, "null_resource", "Config_Settings");
    expect(plain.triggers).toEqual(fixedTriggers(s, settings).fixed);
    expect((plain.provisioner as { "local-exec": { command: string } }[]).map((p) => p["local-exec"].command)).toEqual(["apply"]);
  });

  test("a logical id overridden after construction is what dependents name (kept state after a rename)", () => {
    const s = stackWith((stack) => {
      const c = config(stack);
      new FortiFlexVmEntitlement(stack, "Primary", { configuration: c });
      (c.node.findChild("Resource").node.findChild("Settings") as TerraformResource).overrideLogicalId("legacy_config_settings");
    });
    expect(Object.keys(s.resource?.null_resource ?? {})).toContain("legacy_config_settings");
    expect(find(s, "null_resource", "Primary_Lifecycle").depends_on).toContain("null_resource.legacy_config_settings");
    expect(find(s, "null_resource", "FortiFlexRuntime_Reconcile").depends_on).toContain("null_resource.legacy_config_settings");
    expect(JSON.stringify(s)).not.toMatch(/"null_resource\.Config_Settings"/);
  });

  test("drift check and repair; entitlements depend on every step of their configuration", () => {
    const s = stackWith((stack) => {
      const c = config(stack);
      new FortiFlexVmEntitlement(stack, "Primary", { configuration: c });
    });
    // One plan-time observation for the stack's scope, whatever the number of objects (two FortiFlex requests).
    // The settings step gains a `drift` trigger while the object differs, so the plan replaces it and it repairs.
    const observe = "data.external.FortiFlexRuntime_Observe_ELAVMS0000000518_1525960";
    expect(fixedTriggers(s, find(s, "null_resource", "Config_Settings")).merged).toBe(
      `\${merge(local.Config_SettingsTriggers, (${observe}.result["in_sync:acme/Config"] != "true") ? ` +
        `{"drift" = ${observe}.result["drift:acme/Config"]} : {})}`,
    );
    expect(fixedTriggers(s, find(s, "null_resource", "Primary_Settings")).merged).toContain('result["in_sync:acme/Primary"]');
    expect(Object.keys(s.resource!.null_resource).filter((id) => /DriftRepair|Settle/.test(id))).toEqual([]);
    const entLifecycle = find(s, "null_resource", "Primary_Lifecycle");
    expect(entLifecycle.depends_on).toEqual([
      "null_resource.Config_Lifecycle",
      "null_resource.Config_Settings",
      "null_resource.FortiFlexRuntime_StopAllOnDestroy_ELAVMS0000000518_1525960",
    ]);
    const observers = Object.entries(s.data?.external ?? {});
    expect(observers.map(([name]) => name)).toEqual(["FortiFlexRuntime_Observe_ELAVMS0000000518_1525960"]);
    const query = observers[0][1].query as Record<string, string>;
    expect(observers[0][1].depends_on).toBeUndefined();
    const objects = (JSON.parse(query.objects) as { identity: string; detect_drift: string }[]).map((o) => [JSON.parse(o.identity).key, o.detect_drift]);
    expect(objects).toEqual([
      ["acme/Config", "true"],
      ["acme/Primary", "true"],
    ]);
    expect(JSON.parse(query.scope)).toEqual({
      program_serial_number: expect.any(String),
      account_id: expect.any(String),
      api_url: expect.any(String),
      auth_url: expect.any(String),
    });
    expect([query.namespace, JSON.parse(query.declared)]).toEqual(["acme", ["acme/Config", "acme/Primary"]]);
    // What the plan finds astray (duplicates, undeclared live objects) gives the reconcile step a `strays` trigger,
    // so it runs again after every object's steps; its count needs the observation known at plan time.
    const reconcile = find(s, "null_resource", "FortiFlexRuntime_Reconcile");
    const strays = `join(" | ", compact([${observe}.result["strays"]]))`;
    expect(reconcile.count).toBe(`\${min(1, (length(${strays}) + 1))}`);
    expect(fixedTriggers(s, reconcile).merged).toBe(
      `\${merge(local.FortiFlexRuntime_ReconcileTriggers, (min(1, length(${strays})) == 1) ? {"strays" = ${strays}} : {})}`,
    );
    expect(reconcile.depends_on).toEqual(expect.arrayContaining(["null_resource.Config_Settings", "null_resource.Primary_Settings"]));
    expect((reconcile.provisioner as { "local-exec": { command: string } }[])[0]["local-exec"].command).toBe("sweep");
  });

  test("outputs are lazy: no read step unless read; without drift checks the scope is still observed (strays)", () => {
    const quiet = stackWith((stack) => {
      const c = config(stack, { detectDrift: false });
      new FortiFlexVmEntitlement(stack, "Primary", { configuration: c });
    });
    expect(Object.keys(quiet.data!.external)).toEqual(["FortiFlexRuntime_Observe_ELAVMS0000000518_1525960"]);
    expect(JSON.parse((quiet.data!.external.FortiFlexRuntime_Observe_ELAVMS0000000518_1525960.query as Record<string, string>).objects)).toEqual([]);
    expect(Object.keys(quiet.provider ?? {}).sort()).toEqual(["external", "null"]);

    const read = stackWith((stack) => {
      const c = config(stack, { detectDrift: false });
      const e = new FortiFlexVmEntitlement(stack, "Primary", { configuration: c, tokenGeneration: 2 });
      new TerraformOutput(stack, "serial", { value: e.serialNumber });
      new TerraformOutput(stack, "token", { value: e.licenseToken, sensitive: true });
    });
    expect(Object.keys(read.provider ?? {}).sort()).toEqual(["external", "null"]);
    const state = Object.entries(read.data!.external).find(([name]) => name.startsWith("Primary_State"))![1];
    expect(state.depends_on).toEqual([
      expect.stringMatching(/Primary_Lifecycle/),
      expect.stringMatching(/Primary_Settings/),
      expect.stringMatching(/Primary_TokenRegeneration/),
    ]);
    // The plan's observation of the object goes along, sensitive (a token is in it), with the walk it was read in.
    expect(state.query).toEqual({
      identity: expect.stringContaining('"key":"acme/Primary"'),
      observed: '${sensitive(data.external.FortiFlexRuntime_Observe_ELAVMS0000000518_1525960.result["state:acme/Primary"])}',
      walk: '${data.external.FortiFlexRuntime_Observe_ELAVMS0000000518_1525960.result["walk"]}',
      allow_non_fortinet_host: "false",
    });
    expect(read.output!.token).toEqual({
      value: '${sensitive(data.external.Primary_State.result["token"])}',
      sensitive: true,
    });
  });

  test("terraform_data option: no null provider, destroy reads self.triggers_replace", () => {
    const s = stackWith((stack) => {
      const c = config(stack, { lifecycleResource: LifecycleResourceType.TERRAFORM_DATA, detectDrift: false });
      new FortiFlexVmEntitlement(stack, "Primary", { configuration: c });
    });
    // The observation of the scope (strays) is the external provider's; the steps need no provider.
    expect(Object.keys(s.provider ?? {})).toEqual(["external"]);
    expect(s.resource?.null_resource).toBeUndefined();
    const lifecycle = find(s, "terraform_data", "Primary_Lifecycle");
    expect(lifecycle.triggers_replace).toEqual(expect.objectContaining({ kind: "entitlement", key: "acme/Primary" }));
    expect(JSON.stringify(lifecycle.provisioner)).toContain("${jsonencode(self.triggers_replace)}");
  });

  test("entitlement settings: create-only options stay out of the settings triggers", () => {
    const s = stackWith((stack) => {
      const c = config(stack);
      new FortiFlexVmEntitlement(stack, "Standby", {
        configuration: c,
        status: EntitlementDesiredStatus.STOPPED,
        folderPath: "My Assets/acme",
        skipPending: true,
        description: "standby",
        endDate: "2099-01-31",
      });
    });
    const settings = find(s, "null_resource", "Standby_Settings");
    expect(fixedTriggers(s, settings).fixed).toEqual({
      lifecycle: expect.any(String),
      config_key: "acme/Config",
      description: "standby",
      end_date: "2099-01-31",
      status: "STOPPED",
      in_place: "settings applied in place (nothing is created or rebuilt); status STOPPED stops the entitlement",
    });
    const lifecycle = find(s, "null_resource", "Standby_Lifecycle");
    expect(
      JSON.parse((lifecycle.provisioner as { "local-exec": { environment: Record<string, string> } }[])[0]["local-exec"].environment.FORTIFLEX_SETTINGS),
    ).toEqual(expect.objectContaining({ folder_path: "My Assets/acme", skip_pending: "true" }));
  });

  test("keys: stack namespace + construct path by default, overridable inside the namespace, long paths shortened with a hash", () => {
    const s = stackWith((stack) => {
      config(stack, { key: "tenant/edge" });
      const c = config(stack, {}, "A".repeat(90));
      new FortiFlexVmEntitlement(stack, "E", { configuration: c });
    }, "tenant");
    const keys = resources(s, "null_resource")
      .filter((r) => (r.triggers as { kind?: string }).kind)
      .map((r) => (r.triggers as { key: string }).key)
      .sort();
    expect(keys).toEqual([expect.stringMatching(/^tenant\/A{62}-[0-9a-f]{10}$/), "tenant/E", "tenant/edge"]);
    expect(keys[0]).toHaveLength(80);
  });

  test("the stack's owner and reconcile steps: ownership that Terraform cannot skip", () => {
    const s = stackWith((stack) => {
      const c = config(stack);
      new FortiFlexVmEntitlement(stack, "Fw1", { configuration: c });
      const other = config(stack, { accountId: 1525961 }, "Other");
      new FortiFlexVmEntitlement(stack, "Fw2", { configuration: other });
    });
    const owners = Object.entries(s.resource!.null_resource).filter(([id]) => id.startsWith("FortiFlexRuntime_StopAllOnDestroy_"));
    // One per scope (account here), named by it, created before the objects of its scope, with a destroy step only.
    expect(owners.map(([id]) => id)).toEqual([
      "FortiFlexRuntime_StopAllOnDestroy_ELAVMS0000000518_1525960",
      "FortiFlexRuntime_StopAllOnDestroy_ELAVMS0000000518_1525961",
    ]);
    for (const [, owner] of owners) {
      const account = (owner.triggers as { account_id: string }).account_id;
      expect(owner.triggers).toEqual({
        kind: "namespace",
        namespace: "acme",
        program_serial_number: PROGRAM,
        account_id: expect.stringMatching(/^152596[01]$/),
        api_url: expect.any(String),
        auth_url: expect.any(String),
        // What destroying it means, in the plan itself.
        on_destroy:
          `stops every entitlement and disables every configuration that stack namespace acme holds in account ${account} of program ${PROGRAM}, ` +
          "including any its other steps no longer track",
      });
      const steps = owner.provisioner as { "local-exec": { command: string; when?: string; environment: Record<string, string> } }[];
      expect(steps.map((p) => [p["local-exec"].command, p["local-exec"].when])).toEqual([["release", "destroy"]]);
      expect(steps[0]["local-exec"].environment.FORTIFLEX_IDENTITY).toBe("${jsonencode(self.triggers)}");
    }
    expect(find(s, "null_resource", "Fw2_Lifecycle").depends_on).toEqual(
      expect.arrayContaining([`null_resource.${owners.find(([, o]) => (o.triggers as { account_id: string }).account_id === "1525961")![0]}`]),
    );
    const reconcile = find(s, "null_resource", "FortiFlexRuntime_Reconcile");
    const triggers = fixedTriggers(s, reconcile).fixed;
    // Each key with the index of its scope: a key that moves to another account is no longer declared in the old one.
    const declared = JSON.stringify(["acme/Config@0", "acme/Fw1@0", "acme/Fw2@1", "acme/Other@1"]);
    expect(triggers.declared).toBe(declared);
    expect(JSON.parse(triggers.scopes).map((x: { account_id: string }) => x.account_id)).toEqual(["1525960", "1525961"]);
    const [create, destroy] = (reconcile.provisioner as { "local-exec": { command: string; when?: string; environment: Record<string, string> } }[]).map(
      (p) => p["local-exec"],
    );
    expect([create.command, create.when, create.environment.FORTIFLEX_DECLARED]).toEqual(["sweep", undefined, declared]);
    expect(destroy.environment.FORTIFLEX_DECLARED_SCOPES).toBe(triggers.scopes);
    // Replaced, the old instance sweeps its own scopes against what the code declares now.
    expect([destroy.command, destroy.when, destroy.environment.FORTIFLEX_SCOPES, destroy.environment.FORTIFLEX_DECLARED]).toEqual([
      "sweep",
      "destroy",
      "${self.triggers.scopes}",
      declared,
    ]);
    // It runs after every step of every object.
    expect(reconcile.depends_on).toHaveLength(8);
  });

  test("user text becomes a Terraform literal; references made by cdktf stay expressions", () => {
    expect(terraformLiteral('a ${file("x")} b %{ if } c $${d}')).toBe('a $${file("x")} b %%{ if } c $$${d}');
    const app = Testing.app();
    const stack = new TerraformStack(app, "lit");
    const reference = new TerraformVariable(stack, "v", { type: "string" }).stringValue;
    expect(terraformLiteral(reference)).toBe(reference);
    const s = stackWith((st) => {
      const c = config(st, { name: "x ${path.cwd}" });
      new FortiFlexVmEntitlement(st, "E", { configuration: c, description: "50%{ off" });
    });
    const text = JSON.stringify(s);
    expect(text).not.toMatch(/[^$]\$\{path\.cwd\}/);
    expect(text).toContain("$${path.cwd}");
    expect(text).not.toMatch(/[^%]%\{ off/);
  });

  test("addresses named for people: a meeting of two paths, a user's element on a library address, a name Terraform refuses", () => {
    // Joined with "_", A/B and A_B give one address.
    expect(() =>
      stackWith((stack) => {
        const a = new Construct(stack, "A");
        new FortiFlexConfiguration(a, "B", { programSerialNumber: PROGRAM, accountId: 1525960, name: "one", product: bundle(), key: "acme/one" });
        config(stack, { key: "acme/two" }, "A_B");
      }),
    ).toThrow(/acme\/A_B\/Resource\/Lifecycle: its Terraform address null_resource\.A_B_Lifecycle is already that of acme\/A\/B\/Resource\/Lifecycle/);
    // A resource given a library step's address by hand would be merged into the step by Terraform.
    expect(() =>
      stackWith((stack) => {
        config(stack);
        new TerraformOutput(stack, "x", { value: "x" });
        const mine = new NullResource(stack, "Mine", { triggers: { a: "b" } });
        mine.overrideLogicalId("Config_Lifecycle");
      }),
    ).toThrow("acme/Mine: its Terraform address null_resource.Config_Lifecycle is that of the FortiFlex library's acme/Config/Resource/Lifecycle");
    expect(() => stackWith((stack) => config(stack, {}, "1Edge"))).toThrow(
      /acme\/1Edge\/Resource\/Lifecycle: its Terraform address would be null_resource\.1Edge_Lifecycle, which Terraform refuses/,
    );
    expect(() =>
      stackWith((stack) => {
        new Construct(stack, "FortiFlexRuntime");
        config(stack);
      }),
    ).toThrow("acme/FortiFlexRuntime: the construct id FortiFlexRuntime at the root of a stack is the FortiFlex library's");
    // One scope per program and account: its stop-all step and observation are named by them.
    expect(() =>
      stackWith((stack) => {
        config(stack);
        config(
          stack,
          { key: "acme/local", endpoints: { apiUrl: "http://127.0.0.1:9/ES/api/fortiflex/v2/", authUrl: "http://127.0.0.1:9/api/v1/oauth/token/" } },
          "Local",
        );
      }),
    ).toThrow(
      joinedRegExp(
        /acme\/FortiFlexRuntime: account 1525960 of program ELAVMS0000000518 is reached at two endpoint pairs in one stack /,
        /\(api https:\/\/support\.fortinet\.com\/ES\/api\/fortiflex\/v2\/ with auth .*, and api http:\/\/127\.0\.0\.1:9\/ES\/api\/fortiflex\/v2\/ with auth/,
      ),
    );
  });

  test("keys that would name one FortiFlex object twice are a synth error naming both constructs", () => {
    expect(() =>
      stackWith((stack) => {
        config(stack, {}, "Fw A");
        config(stack, {}, "Fw-A");
      }),
    ).toThrow('acme/Fw-A: invalid key "acme/Fw-A": a key of its own: acme/Fw A already uses it');
    expect(() =>
      stackWith((stack) => {
        config(stack, {}, "Fw+A");
        config(stack, { key: "acme/Fw-A" }, "Other");
      }),
    ).toThrow('acme/Other: invalid key "acme/Fw-A": a key of its own: acme/Fw+A already uses it');
    // Stacks whose namespaces overlap: destroying one would stop the other's objects.
    const app = Testing.app();
    config(new TerraformStack(app, "team+a"));
    expect(() => config(new TerraformStack(app, "team-a"))).toThrow(
      joinedRegExp(
        /^team-a: invalid stack id "team-a": an id whose FortiFlex namespace differs from every other stack's: "team-a" is already the namespace of /,
        /stack team\+a/,
      ),
    );
    // A stack that only owns its namespace (a decommissioned customer) claims it too.
    const owners = Testing.app();
    config(new TerraformStack(owners, "team-b"));
    const retired = new TerraformStack(owners, "team+b");
    expect(() =>
      FortiFlexRuntime.of(retired).ownerOf(
        { program_serial_number: PROGRAM, account_id: "", api_url: "https://a/", auth_url: "https://b/" },
        LifecycleResourceType.NULL_RESOURCE,
      ),
    ).toThrow(/^team\+b: invalid stack id "team\+b": .*already the namespace of stack team-b/);
    // Stack ids long enough to crowd keys out are refused up front.
    expect(() => stackWith((stack) => config(stack), "x".repeat(41))).toThrow(
      /invalid stack id "x{41}": at most 40 characters for a stack with FortiFlex objects/,
    );
  });

  test("keys outside the stack's namespace, or with empty, . or .. segments, are refused", () => {
    // Each key with the one reason it is refused for.
    const outside = /acme\/Config: invalid key .*inside the stack's namespace, starting with "acme\/"/;
    const alphabet = /acme\/Config: invalid key .*1-80 characters from/;
    for (const key of ["other/edge", "acme"]) expect(() => stackWith((stack) => config(stack, { key }))).toThrow(outside);
    for (const key of ["acme/../x", "acme/./x", "acme//x", "acme/x/", "../acme/x", "acme/..", "acme/x y"]) {
      expect(() => stackWith((stack) => config(stack, { key }))).toThrow(alphabet);
    }
  });

  test("endpoints come from props only, never from the environment at synth", () => {
    expect(
      JSON.stringify(
        stackWith((stack) =>
          config(stack, { endpoints: { apiUrl: "http://127.0.0.1:9/ES/api/fortiflex/v2/", authUrl: "http://127.0.0.1:9/api/v1/oauth/token/" } }),
        ),
      ),
    ).toContain("http://127.0.0.1:9/ES/api/fortiflex/v2/");
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    process.env.FORTIFLEX_API_URL = "http://127.0.0.1:9/ES/api/fortiflex/v2/";
    try {
      const s = JSON.stringify(stackWith((stack) => config(stack)));
      expect(s).not.toContain("127.0.0.1");
      expect(s).toContain("https://support.fortinet.com/ES/api/fortiflex/v2/");
    } finally {
      delete process.env.FORTIFLEX_API_URL;
      stderr.mockRestore();
    }
  });

  test("every product helper produces parameters the API accepts", () => {
    const products = [
      FortiFlexProduct.fortiGateVmBundle({
        cpu: 8,
        servicePackage: FortiGateServicePackage.ATP,
        vdoms: 500,
        fortiGuardServices: [FortiGateBundleFortiGuardService.ADVANCED_MALWARE_PROTECTION],
        cloudServices: [FortiGateBundleCloudService.SOC_AS_A_SERVICE, FortiGateBundleCloudService.FORTIANALYZER_CLOUD],
      }),
      FortiFlexProduct.fortiGateVmLcs({ cpu: 4, supportService: FortiGateLcsSupportService.FORTICARE_PREMIUM }),
      FortiFlexProduct.fortiManagerVm({ managedDevices: 10, adoms: 2 }),
      FortiFlexProduct.fortiAnalyzerVm({ dailyStorageGb: 5, addons: [FortiAnalyzerAddon.OT_SECURITY] }),
      FortiFlexProduct.fortiWebVm({ cpu: 4, servicePackage: FortiWebServicePackage.ADVANCED }),
      FortiFlexProduct.custom(12, [
        { id: 77, value: "FNCPRO" },
        { id: 78, value: "100" },
        { id: 79, value: "FNCFC247" },
      ]),
    ];
    expect(products.map((p) => p.problems())).toEqual(products.map(() => []));
    expect(products[0].parameters.filter((p) => p.id === 44).map((p) => p.value)).toEqual(["FGTSOCA", "FGTFAZC"]);
    expect(products[0].cpu).toBe(8);
    expect(products[1].parameters).toEqual(
      expect.arrayContaining([
        { id: 7, value: "NONE" },
        { id: 12, value: "NONE" },
      ]),
    );
  });
});

describe("validation at synth", () => {
  const expectError = (build: (stack: TerraformStack) => void, message: RegExp | string) => {
    const app = new App({ outdir: "/tmp/ffx-never-written" });
    expect(() => build(new TerraformStack(app, "acme"))).toThrow(message);
  };
  const product = (p: Partial<Parameters<typeof FortiFlexProduct.fortiGateVmBundle>[0]>) =>
    FortiFlexProduct.fortiGateVmBundle({ cpu: 2, servicePackage: FortiGateServicePackage.UTP, ...p });

  test.each([
    ["CPU 97", { product: product({ cpu: 97 }) }, 'acme/Config: invalid product.cpu "97": value 97 is out of range (allowed: 1-96)'],
    ["CPU 0", { product: product({ cpu: 0 }) }, /product\.cpu "0": value 0 is out of range \(allowed: 1-96\)/],
    ["CPU 2.5", { product: product({ cpu: 2.5 }) }, /product\.cpu "2\.5": value "2\.5" is not an integer/],
    ["VDOM 501", { product: product({ cpu: 8, vdoms: 501 }) }, /product\.vdoms "501": value 501 is out of range \(allowed: 0-500\)/],
    ["VDOM 11 on 1 CPU", { product: product({ cpu: 1, vdoms: 11 }) }, /product\.vdoms "11": value 11 exceeds the maximum of 10 for 1 CPU/],
    [
      "package UTM",
      { product: product({ servicePackage: "UTM" as FortiGateServicePackage }) },
      /product\.servicePackage "UTM": value "UTM" \(UTM\) is no longer available \(allowed: FC, UTP, ENT, ATP\)/,
    ],
    [
      "unknown service",
      { product: product({ fortiGuardServices: ["FGTXXX" as FortiGateBundleFortiGuardService] }) },
      /product\.fortiGuardServices "FGTXXX".*allowed: FGTAVDB/,
    ],
    [
      "FortiWeb CPU 3",
      { product: FortiFlexProduct.fortiWebVm({ cpu: 3, servicePackage: FortiWebServicePackage.STANDARD }) },
      /product\.cpu "3".*allowed: 1, 2, 4, 8, 16/,
    ],
    [
      "unknown product type",
      { product: FortiFlexProduct.custom(6, []) },
      /product\.productTypeId "6": not in this library's catalog; FortiFlexProduct\.custom\(id, parameters, \{ validate: false \}\) sends it unvalidated/,
    ],
    [
      "custom missing parameter",
      { product: FortiFlexProduct.custom(2, [{ id: 9, value: "5" }]) },
      /invalid product\.parameters\[id=30\] "": is required for FMG_VM/,
    ],
    ["negative account", { accountId: -5 }, "acme/Config: invalid accountId -5: a positive integer FortiCloud account id"],
    ["fractional account", { accountId: 1.5 }, /invalid accountId 1\.5/],
    ["bad program", { programSerialNumber: "FGVM123" }, /invalid programSerialNumber "FGVM123": a FortiFlex program serial number/],
    ["empty name", { name: " " }, /invalid name " ": literal text of 1-100 characters/],
    ["marker in name", { name: "x [ffx:y]" }, /invalid name "x \[ffx:y\]"/],
    ["bad key", { key: "has space" }, /invalid key "has space": 1-80 characters/],
  ])("configuration: %s", (_, extra, message) => {
    expectError((stack) => config(stack, extra as Partial<FortiFlexConfigurationProps>), message);
  });

  test.each([
    [
      "end date in the past",
      { endDate: "2001-01-01" },
      'acme/E: invalid endDate "2001-01-01": a date YYYY-MM-DD, today or later (and within the program); it is in the past',
    ],
    ["malformed end date", { endDate: "31/12/2030" }, /invalid endDate "31\/12\/2030"/],
    ["impossible end date", { endDate: "2030-02-30" }, /invalid endDate "2030-02-30"/],
    ["folder outside My Assets", { folderPath: "Other/x" }, /invalid folderPath "Other\/x"/],
    ["negative token generation", { tokenGeneration: -1 }, /invalid tokenGeneration -1/],
    ["bad status", { status: "PENDING" }, /invalid status "PENDING": ACTIVE or STOPPED/],
    ["marker in description", { description: "[ffx:a]" }, /invalid description/],
  ])("entitlement: %s", (_, extra, message) => {
    expectError((stack) => new FortiFlexVmEntitlement(stack, "E", { configuration: config(stack), ...(extra as object) }), message);
  });

  test("entitlements need a VM product", () => {
    expectError(
      (stack) =>
        new FortiFlexVmEntitlement(stack, "E", {
          configuration: config(stack, {
            product: FortiFlexProduct.custom(205, [
              { id: 48, value: "50" },
              { id: 49, value: "FSASESTD" },
            ]),
          }),
        }),
      /acme\/E: invalid configuration "acme\/Config": a virtual machine product; FORTISASE \(cloud\) takes no VM entitlements/,
    );
  });
});

describe("objects made elsewhere: FortiFlexConfiguration.fromConfigId, FortiFlexVmEntitlement.fromSerialNumber", () => {
  const stackWith = (build: (stack: TerraformStack) => void) => {
    const stack = new TerraformStack(Testing.app(), "acme");
    build(stack);
    return JSON.parse(Testing.synth(stack)) as {
      resource: { null_resource: Record<string, { triggers: Record<string, string> }> };
      data: { external: Record<string, { query: { identity: string } }> };
    };
  };

  test("an entitlement on a configuration made elsewhere names it by id; nothing manages the configuration", () => {
    const s = stackWith((stack) => {
      const existing = FortiFlexConfiguration.fromConfigId(stack, "Portal", {
        configId: 4711,
        programSerialNumber: "ELAVMS0000000518",
        accountId: 1525960,
        productTypeId: 1,
      });
      new FortiFlexVmEntitlement(stack, "Fw", { configuration: existing });
    });
    const ids = Object.keys(s.resource.null_resource);
    expect(ids.filter((id) => id.startsWith("Portal"))).toEqual([]);
    expect((s as unknown as { locals: Record<string, Record<string, string>> }).locals.Fw_SettingsTriggers.config_key).toBe("#4711");
  });

  test("an existing configuration of a cloud product takes no VM entitlement; bad ids are refused", () => {
    expect(() =>
      stackWith(
        (stack) =>
          new FortiFlexVmEntitlement(stack, "Fw", {
            configuration: FortiFlexConfiguration.fromConfigId(stack, "Sase", { configId: 9, programSerialNumber: "ELAVMS0000000518", productTypeId: 205 }),
          }),
      ),
    ).toThrow(/acme\/Fw: invalid configuration "acme\/Sase": a virtual machine product; FORTISASE \(cloud\) takes no VM entitlements/);
    expect(() => stackWith((stack) => FortiFlexConfiguration.fromConfigId(stack, "Bad", { configId: -1, programSerialNumber: "ELAVMS0000000518" }))).toThrow(
      /acme\/Bad: invalid configId -1/,
    );
    expect(() =>
      stackWith((stack) => FortiFlexVmEntitlement.fromSerialNumber(stack, "Bad", { serialNumber: "${x}", programSerialNumber: "ELAVMS0000000518" })),
    ).toThrow(/acme\/Bad: invalid serialNumber "\$\{x\}"/);
  });

  test("an entitlement made elsewhere is read by serial number only", () => {
    const s = stackWith((stack) => {
      const e = FortiFlexVmEntitlement.fromSerialNumber(stack, "Theirs", { serialNumber: "FGVMELTM25008315", programSerialNumber: "ELAVMS0000000518" });
      new TerraformOutput(stack, "status", { value: e.status });
    });
    expect(s.resource?.null_resource).toBeUndefined();
    expect(JSON.parse(Object.values(s.data.external)[0].query.identity)).toEqual(
      expect.objectContaining({ kind: "entitlement", key: "", serial_number: "FGVMELTM25008315" }),
    );
  });
});

describe("adoption at synth", () => {
  test("two constructs of one app cannot adopt the same object", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "twice");
    const config = new FortiFlexConfiguration(stack, "Config", {
      programSerialNumber: "ELAVMS0000000518",
      name: "c",
      product: FortiFlexProduct.fortiGateVmBundle({ cpu: 2, servicePackage: FortiGateServicePackage.UTP }),
    });
    new FortiFlexVmEntitlement(stack, "FwA", { configuration: config, adoptSerialNumber: "FGVMELTM25008315" });
    expect(() => new FortiFlexVmEntitlement(stack, "FwB", { configuration: config, adoptSerialNumber: "FGVMELTM25008315" })).toThrow(
      'twice/FwB: invalid adoptSerialNumber "entitlement FGVMELTM25008315": an object no other construct ' +
        "adopts: twice/FwA adopts entitlement FGVMELTM25008315 already",
    );
  });

  test("the adoption is checked at plan time by a read-only data source the Adoption step waits for", () => {
    const stack = new TerraformStack(Testing.app(), "acme");
    const config = new FortiFlexConfiguration(stack, "Config", {
      programSerialNumber: "ELAVMS0000000518",
      name: "c",
      adoptConfigId: 39712,
      product: FortiFlexProduct.fortiGateVmBundle({ cpu: 2, servicePackage: FortiGateServicePackage.UTP }),
    });
    new FortiFlexVmEntitlement(stack, "Fw", { configuration: config, adoptSerialNumber: "FGVMELTM25008315" });
    const s = JSON.parse(Testing.synth(stack)) as {
      resource: { null_resource: Record<string, { triggers: Record<string, string>; depends_on: string[] }> };
      data: { external: Record<string, { program: string[]; query: Record<string, string> }> };
    };
    const checks = Object.entries(s.data.external).filter(([id]) => id.includes("AdoptionCheck"));
    expect(checks.map(([, d]) => [d.program.at(-1), JSON.parse(d.query.adoption)])).toEqual([
      ["check-adoption", { config_id: "39712" }],
      ["check-adoption", { serial_number: "FGVMELTM25008315", product_type_id: "1" }],
    ]);
    const adoption = Object.entries(s.resource.null_resource).find(([id]) => id.startsWith("Fw_Adoption"))![1];
    expect(adoption.triggers).toEqual({ key: "acme/Fw", serial_number: "FGVMELTM25008315", product_type_id: "1" });
    expect(adoption.depends_on).toEqual(expect.arrayContaining(["data.external.Fw_AdoptionCheck"]));
  });
});
