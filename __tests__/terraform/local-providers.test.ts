import { spawn, type ChildProcess } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { decodeValue, encodeValue, UNKNOWN, type Value } from "../../local-providers/dynamic-value";
import { installLocalProviders } from "../../local-providers/install";
import { createSelfSignedCertificate } from "../../local-providers/self-signed-certificate";
import { describeWithTerraform, Terraform } from "../helpers/terraform";

/**
 * The local null and external providers on their own: certificate, wire values, and the plugin spoken to
 * over gRPC exactly as Terraform does (handshake line, mutual TLS, tfplugin5), then under real terraform.
 */
const COOKIE = { TF_PLUGIN_MAGIC_COOKIE: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2" };

describe("self-signed plugin certificate", () => {
  test("a CA of itself for localhost, valid now, that parses every time", () => {
    for (let i = 0; i < 300; i++) {
      const c = createSelfSignedCertificate();
      const x = new crypto.X509Certificate(c.certDer);
      expect(x.ca).toBe(true);
      expect(x.subjectAltName).toBe("DNS:localhost");
      expect(x.verify(x.publicKey)).toBe(true);
      expect(x.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
      expect(Date.parse(x.validFrom)).toBeLessThanOrEqual(Date.now());
      expect(Date.parse(x.validTo)).toBeGreaterThan(Date.now());
      expect(x.checkPrivateKey(crypto.createPrivateKey(c.keyPem))).toBe(true);
    }
  });
});

describe("wire values", () => {
  test("unknown values are msgpack extension 0 (as Terraform writes them); refined unknowns (extension 12) read as unknown", () => {
    const wire = encodeValue({ id: UNKNOWN, triggers: { a: "1" }, gone: null });
    expect(Buffer.from(wire.msgpack!).toString("hex")).toBe("83a26964d40000a8747269676765727381a161a131a4676f6e65c0");
    expect(decodeValue(wire)).toEqual({ id: UNKNOWN, triggers: { a: "1" }, gone: null });
    // {"id": <unknown, refined: not null>}
    expect(decodeValue({ msgpack: Buffer.from("81a26964c7030c8101c3", "hex") })).toEqual({ id: UNKNOWN });
    expect(decodeValue({ json: Buffer.from('{"id":"7","triggers":null}') })).toEqual({ id: "7", triggers: null });
  });
});

describe("local providers over the plugin protocol", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-providers-"));
  const plugins: ChildProcess[] = [];
  afterAll(() => {
    for (const p of plugins) p.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const executable = (type: string) => {
    const mirror = path.join(path.dirname(installLocalProviders().cliConfigFile), "mirror");
    const version = installLocalProviders().versions[`registry.terraform.io/hashicorp/${type}`];
    const dir = path.join(mirror, "registry.terraform.io", "hashicorp", type, version);
    const platform = fs.readdirSync(dir)[0];
    return path.join(dir, platform, `terraform-provider-${type}_v${version}`);
  };

  /** Starts a provider as Terraform does and connects to it with mutual TLS; returns the tfplugin5 client. */
  async function connect(type: string): Promise<{ handshake: string[]; call: (rpc: string, request: object) => Promise<Record<string, unknown>> }> {
    const client = createSelfSignedCertificate();
    const child = spawn(executable(type), [], {
      env: { PATH: process.env.PATH, ...COOKIE, PLUGIN_PROTOCOL_VERSIONS: "5,6", PLUGIN_CLIENT_CERT: client.certPem },
      stdio: ["ignore", "pipe", "pipe"],
    });
    plugins.push(child);
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d) => {
        out += d;
        if (out.includes("\n")) resolve(out.split("\n")[0]);
      });
      child.on("exit", (code) => reject(new Error(`plugin exited with ${code}`)));
    });
    const handshake = line.split("|");
    const serverDer = Buffer.from(handshake[5], "base64");
    const serverPem = `-----BEGIN CERTIFICATE-----\n${serverDer.toString("base64")}\n-----END CERTIFICATE-----\n`;
    const pkg = grpc.loadPackageDefinition(
      protoLoader.loadSync(path.join(__dirname, "..", "..", "local-providers", "tfplugin5.proto"), {
        keepCase: true,
        longs: Number,
        enums: Number,
        defaults: true,
      }),
    );
    const Provider = (pkg.tfplugin5 as grpc.GrpcObject).Provider as grpc.ServiceClientConstructor;
    const credentials = grpc.credentials.createSsl(Buffer.from(serverPem), Buffer.from(client.keyPem), Buffer.from(client.certPem));
    const stub = new Provider(`unix://${handshake[3]}`, credentials, { "grpc.ssl_target_name_override": "localhost", "grpc.default_authority": "localhost" });
    const call = (rpc: string, request: object) =>
      new Promise<Record<string, unknown>>((resolve, reject) =>
        (stub[rpc] as (r: object, cb: (e: Error | null, res: Record<string, unknown>) => void) => void).call(stub, request, (e, res) =>
          e ? reject(e) : resolve(res),
        ),
      );
    return { handshake, call };
  }

  const dynamic = (value: Value) => encodeValue(value);
  const diagnosticsOf = (res: Record<string, unknown>) =>
    (res.diagnostics as { severity: number; summary: string; detail: string }[]).map((d) => ({ severity: d.severity, summary: d.summary, detail: d.detail }));

  test("refuses to start outside Terraform", async () => {
    const res = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(executable("null"), [], { env: { PATH: process.env.PATH }, stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("exit", (code) => resolve({ code, stderr }));
    });
    expect(res).toEqual({ code: 1, stderr: expect.stringContaining("Terraform starts it") });
  });

  test("handshake: go-plugin core 1, tfplugin5, a unix socket, gRPC and its certificate", async () => {
    const { handshake } = await connect("null");
    expect(handshake.slice(0, 3)).toEqual(["1", "5", "unix"]);
    expect(fs.existsSync(handshake[3])).toBe(true);
    expect(handshake[4]).toBe("grpc");
    expect(handshake[5]).not.toMatch(/=$/); // base64 without padding, as go-plugin reads it
    expect(new crypto.X509Certificate(Buffer.from(handshake[5], "base64")).subjectAltName).toBe("DNS:localhost");
  });

  test("null_resource: schema, create with an unknown id, no change, replacement on a trigger change", async () => {
    const { call } = await connect("null");
    const schema = await call("GetSchema", {});
    const block = (schema.resource_schemas as Record<string, { block: { attributes: { name: string; type: Buffer; optional: boolean; computed: boolean }[] } }>)
      .null_resource.block;
    expect(block.attributes.map((a) => [a.name, JSON.parse(a.type.toString()), a.optional, a.computed])).toEqual([
      ["id", "string", false, true],
      ["triggers", ["map", "string"], true, false],
    ]);
    const config = { id: null, triggers: { key: "a" } };
    const create = await call("PlanResourceChange", {
      type_name: "null_resource",
      prior_state: dynamic(null),
      proposed_new_state: dynamic(config),
      config: dynamic(config),
    });
    expect(decodeValue(create.planned_state as never)).toEqual({ id: UNKNOWN, triggers: { key: "a" } });
    const applied = await call("ApplyResourceChange", {
      type_name: "null_resource",
      prior_state: dynamic(null),
      planned_state: create.planned_state,
      config: dynamic(config),
    });
    const state = decodeValue(applied.new_state as never) as { id: string };
    expect(state).toEqual({ id: expect.stringMatching(/^\d+$/), triggers: { key: "a" } });
    const same = await call("PlanResourceChange", {
      type_name: "null_resource",
      prior_state: applied.new_state,
      proposed_new_state: applied.new_state,
      config: dynamic(config),
    });
    expect([decodeValue(same.planned_state as never), same.requires_replace]).toEqual([state, []]);
    const changed = { id: null, triggers: { key: "b" } };
    const replace = await call("PlanResourceChange", {
      type_name: "null_resource",
      prior_state: applied.new_state,
      proposed_new_state: dynamic({ ...state, triggers: { key: "b" } }),
      config: dynamic(changed),
    });
    expect(replace.requires_replace).toEqual([{ steps: [{ attribute_name: "triggers" }] }]);
    const upgraded = await call("UpgradeResourceState", { type_name: "null_resource", version: 0, raw_state: { json: Buffer.from(JSON.stringify(state)) } });
    expect(decodeValue(upgraded.upgraded_state as never)).toEqual(state);
    const destroy = await call("ApplyResourceChange", {
      type_name: "null_resource",
      prior_state: applied.new_state,
      planned_state: dynamic(null),
      config: dynamic(null),
    });
    expect(decodeValue(destroy.new_state as never)).toBeNull();
  });

  test("any string is a key: __proto__ in a query and in triggers", async () => {
    const external = await connect("external");
    const echo = ["node", "-e", "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.stringify({got:s})))"];
    const query = JSON.parse('{"__proto__":"p"}') as Record<string, Value>;
    const res = await external.call("ReadDataSource", {
      type_name: "external",
      config: dynamic({ program: echo, query, working_dir: null, result: null, id: null }),
    });
    expect(diagnosticsOf(res)).toEqual([]);
    expect((decodeValue(res.state as never) as { result: { got: string } }).result.got).toBe('{"__proto__":"p"}');
    const nul = await connect("null");
    const plan = await nul.call("PlanResourceChange", {
      type_name: "null_resource",
      prior_state: dynamic(null),
      proposed_new_state: dynamic({ id: null, triggers: query }),
      config: dynamic({ id: null, triggers: query }),
    });
    expect(Object.keys((decodeValue(plan.planned_state as never) as { triggers: object }).triggers)).toEqual(["__proto__"]);
  });

  test("null_resource follows the real provider's replacement rule: no triggers equals {}, new null values change nothing", async () => {
    const { call } = await connect("null");
    const plan = async (prior: Value, config: Value) => {
      const res = await call("PlanResourceChange", {
        type_name: "null_resource",
        prior_state: dynamic({ id: "1", triggers: prior }),
        proposed_new_state: dynamic({ id: "1", triggers: config }),
        config: dynamic({ id: null, triggers: config }),
      });
      return (res.requires_replace as unknown[]).length > 0;
    };
    expect(await plan(null, {})).toBe(false);
    expect(await plan(null, { a: null })).toBe(false);
    expect(await plan(null, { a: "1" })).toBe(true);
    expect(await plan({ k: "v" }, { k: "v", z: null })).toBe(false);
    expect(await plan({ k: "v" }, { k: "w" })).toBe(true);
    expect(await plan({ k: "v", z: "1" }, { k: "v" })).toBe(true);
    expect(await plan({ k: "v" }, { k: UNKNOWN })).toBe(true);
    expect(await plan({}, null)).toBe(false);
  });

  test("external: a read sends the query on stdin and returns the program's object of strings", async () => {
    const { call } = await connect("external");
    const program = ["node", "-e", "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.stringify({got:s,cwd:process.cwd()})))"];
    const config = { program, query: { b: "2", a: "1", gone: null }, working_dir: tmp, result: null, id: null };
    const res = await call("ReadDataSource", { type_name: "external", config: dynamic(config) });
    expect(diagnosticsOf(res)).toEqual([]);
    // Keys sorted and null elements dropped, like the real provider's Go JSON encoding.
    expect(decodeValue(res.state as never)).toEqual({ ...config, result: { got: '{"a":"1","b":"2"}', cwd: fs.realpathSync(tmp) }, id: "-" });
  });

  test("external: bad program answers are errors, reported as the real provider reports them", async () => {
    const { call } = await connect("external");
    const read = async (script: string) =>
      diagnosticsOf(
        await call("ReadDataSource", {
          type_name: "external",
          config: dynamic({ program: ["node", "-e", script], query: null, working_dir: null, result: null, id: null }),
        }),
      );
    expect(await read("console.log('not json')")).toEqual([
      {
        severity: 1,
        summary: "Unexpected External Program Results",
        detail: expect.stringMatching(/Program output must be a JSON encoded map of string keys and string values\.[\s\S]*Result Error: /),
      },
    ]);
    expect(await read("console.log(JSON.stringify({n: 1}))")).toEqual([
      {
        severity: 1,
        summary: "Unexpected External Program Results",
        detail: expect.stringContaining("Result Error: json: cannot unmarshal number into Go value of type string"),
      },
    ]);
    expect(await read("console.log(JSON.stringify({o: {}}))")).toEqual([
      expect.objectContaining({ detail: expect.stringContaining("cannot unmarshal object into Go value of type string") }),
    ]);
    expect(await read("console.log('[]')")).toEqual([
      expect.objectContaining({
        summary: "Unexpected External Program Results",
        detail: expect.stringContaining("json: cannot unmarshal array into Go value of type map[string]string"),
      }),
    ]);
    expect(await read("process.kill(process.pid, 'SIGKILL')")).toEqual([
      expect.objectContaining({ summary: "External Program Execution Failed", detail: expect.stringMatching(/State: signal: killed$/) }),
    ]);
    expect(await read("process.stderr.write('boom'); process.exit(3)")).toEqual([
      { severity: 1, summary: "External Program Execution Failed", detail: expect.stringMatching(/Error Message: boom\nState: exit status 3$/) },
    ]);
    expect(await read("process.exit(2)")).toEqual([
      { severity: 1, summary: "External Program Execution Failed", detail: expect.stringContaining("it returned no additional error messaging") },
    ]);
    const missing = await call("ReadDataSource", {
      type_name: "external",
      config: dynamic({ program: ["no-such-program-here"], query: null, working_dir: null, result: null, id: null }),
    });
    expect(diagnosticsOf(missing)).toEqual([
      expect.objectContaining({
        summary: "External Program Lookup Failed",
        detail: expect.stringContaining('Error: exec: "no-such-program-here": executable file not found in $PATH'),
      }),
    ]);
    const noDir = await call("ReadDataSource", {
      type_name: "external",
      config: dynamic({ program: ["node"], query: null, working_dir: "/nonexistent/dir", result: null, id: null }),
    });
    expect(diagnosticsOf(noDir)).toEqual([
      expect.objectContaining({
        summary: "External Program Execution Failed",
        detail: expect.stringContaining("Error: chdir /nonexistent/dir: no such file or directory"),
      }),
    ]);
    const empty = await call("ValidateDataSourceConfig", {
      type_name: "external",
      config: dynamic({ program: [], query: null, working_dir: null, result: null, id: null }),
    });
    expect(diagnosticsOf(empty)).toEqual([expect.objectContaining({ summary: "Invalid Attribute Value" })]);
  });
});

describeWithTerraform("local providers under terraform", () => {
  test("a failing external program fails the plan with its message; null_resource triggers replace", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-tf-providers-"));
    const write = (trigger: string, script: string) =>
      fs.writeFileSync(
        path.join(dir, "main.tf.json"),
        JSON.stringify({
          terraform: {
            required_providers: { null: { source: "hashicorp/null", version: "3.2.4" }, external: { source: "hashicorp/external", version: "2.3.5" } },
          },
          resource: { null_resource: { r: { triggers: { t: trigger } } } },
          data: { external: { e: { program: ["node", "-e", script] } } },
          output: { r: { value: "${data.external.e.result}" } },
        }),
      );
    // The providers' own lifecycle under terraform: started and stopped by it.
    const tf = new Terraform(dir, {}, { providers: "managed" });
    write("1", "process.stderr.write('no credentials'); process.exit(1)");
    await tf.init();
    const failed = await tf.run(["plan", "-input=false"], { allowFailure: true });
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/Error: External Program Execution Failed[\s\S]*Error Message: no credentials/);
    write("1", "console.log(JSON.stringify({ ok: 'yes' }))");
    expect(await tf.apply()).toMatch(/r = tomap\(\{\s+"ok" = "yes"\s+\}\)/);
    write("2", "console.log(JSON.stringify({ ok: 'yes' }))");
    expect((await tf.plan()).changes).toEqual({ "null_resource.r": ["delete", "create"] });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
