import { PLUGIN_MAGIC_COOKIE } from "./plugin-cookie";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { asObject, decodeValue, encodeValue, type Value, type WireValue } from "./dynamic-value";
import type { BlockSchema, Diagnostic, ProviderDefinition } from "./provider-definition";
import { createSelfSignedCertificate } from "./self-signed-certificate";

/**
 * Serves a provider the way Terraform starts one (hashicorp/go-plugin):
 *
 * 1. Terraform runs the executable with TF_PLUGIN_MAGIC_COOKIE set (anything else is a person running it by
 *    hand), PLUGIN_PROTOCOL_VERSIONS (the provider protocol majors it speaks) and PLUGIN_CLIENT_CERT (its own
 *    certificate, for automatic mutual TLS).
 * 2. The plugin listens on a unix socket with TLS, trusting only that client certificate, and prints one line
 *    on stdout: `1|5|unix|<socket>|grpc|<its certificate, DER, base64 without padding>`.
 * 3. Terraform calls the tfplugin5 Provider service, plus go-plugin's controller (Shutdown), stdio and broker
 *    services and the gRPC health check.
 */
const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
const MAGIC_COOKIE_VALUE = PLUGIN_MAGIC_COOKIE;
const CORE_PROTOCOL_VERSION = 1;
const PROVIDER_PROTOCOL_VERSION = 5;

export interface RunningPlugin {
  /** The handshake line printed for the host. */
  readonly handshake: string;
  close(): void;
}

export async function servePlugin(
  definition: ProviderDefinition,
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = debugLog,
): Promise<RunningPlugin> {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    throw new Error(
      'This is a Terraform provider plugin for the project\'s tests and demo: Terraform starts it (see CONTRIBUTING.md, "Real Terraform, offline").',
    );
  }
  const offered = (env.PLUGIN_PROTOCOL_VERSIONS ?? String(PROVIDER_PROTOCOL_VERSION)).split(",").map((v) => v.trim());
  if (!offered.includes(String(PROVIDER_PROTOCOL_VERSION))) {
    throw new Error(`Terraform offers provider protocol ${offered.join(", ")}; this provider speaks ${PROVIDER_PROTOCOL_VERSION}`);
  }

  const server = new grpc.Server();
  const load = (file: string) =>
    grpc.loadPackageDefinition(protoLoader.loadSync(path.join(__dirname, file), { keepCase: true, longs: Number, enums: Number, defaults: true }));
  const tfplugin5 = load("tfplugin5.proto").tfplugin5 as grpc.GrpcObject;
  const plugin = load("go-plugin.proto").plugin as grpc.GrpcObject;
  const health = ((load("grpc-health.proto").grpc as grpc.GrpcObject).health as grpc.GrpcObject).v1 as grpc.GrpcObject;
  const service = (pkg: grpc.GrpcObject, name: string) => (pkg[name] as grpc.ServiceClientConstructor).service;

  server.addService(service(tfplugin5, "Provider"), providerService(definition, log));
  server.addService(service(plugin, "GRPCController"), {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
      callback(null, {});
      setImmediate(() => {
        server.forceShutdown();
        process.exit(0);
      });
    },
  });
  // Both streams stay open and idle until Terraform closes them or the process exits.
  server.addService(service(plugin, "GRPCStdio"), { StreamStdio: () => undefined });
  server.addService(service(plugin, "GRPCBroker"), { StartStream: (call: grpc.ServerDuplexStream<unknown, unknown>) => call.on("end", () => call.end()) });
  server.addService(service(health, "Health"), { Check: (_call: unknown, callback: grpc.sendUnaryData<object>) => callback(null, { status: 1 }) });

  // Unix socket paths are limited to about 100 bytes: fall back to /tmp when TMPDIR is deep.
  const base = os.tmpdir().length <= 60 ? os.tmpdir() : "/tmp";
  const socketDir = fs.mkdtempSync(path.join(base, `tf-provider-${definition.name}-`));
  const socket = path.join(socketDir, "plugin.sock");
  const clientCert = env.PLUGIN_CLIENT_CERT;
  const identity = clientCert ? createSelfSignedCertificate() : undefined;
  const credentials = identity
    ? grpc.ServerCredentials.createSsl(
        Buffer.from(clientCert!),
        [{ cert_chain: Buffer.from(identity.certPem), private_key: Buffer.from(identity.keyPem) }],
        true,
      )
    : grpc.ServerCredentials.createInsecure();
  try {
    await new Promise<void>((resolve, reject) => server.bindAsync(`unix://${socket}`, credentials, (e) => (e ? reject(e) : resolve())));
  } catch (e) {
    fs.rmSync(socketDir, { recursive: true, force: true });
    throw e;
  }
  const cert = identity ? `|${identity.certDer.toString("base64").replace(/=+$/, "")}` : "";
  const handshake = `${CORE_PROTOCOL_VERSION}|${PROVIDER_PROTOCOL_VERSION}|unix|${socket}|grpc${cert}`;
  return {
    handshake,
    close: () => {
      server.forceShutdown();
      fs.rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

/** Written to stderr, which Terraform keeps in its log (TF_LOG=DEBUG shows it). */
function debugLog(line: string): void {
  process.stderr.write(`[DEBUG] ${line}\n`);
}

type Handler = (request: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** The tfplugin5 Provider service over a provider definition. A failure in our code becomes an error diagnostic. */
function providerService(def: ProviderDefinition, log: (line: string) => void): grpc.UntypedServiceImplementation {
  const resource = (type: unknown) => {
    const r = def.resources[String(type)];
    if (!r) throw new Error(`unknown resource type "${String(type)}"`);
    return r;
  };
  const dataSource = (type: unknown) => {
    const d = def.dataSources[String(type)];
    if (!d) throw new Error(`unknown data source "${String(type)}"`);
    return d;
  };
  const value = (wire: unknown) => asObject(decodeValue(wire as WireValue));
  const handlers: Record<string, Handler> = {
    GetMetadata: () => ({
      server_capabilities: { get_provider_schema_optional: false },
      resources: Object.keys(def.resources).map((type_name) => ({ type_name })),
      data_sources: Object.keys(def.dataSources).map((type_name) => ({ type_name })),
    }),
    GetSchema: () => ({
      provider: schema(def.providerSchema),
      resource_schemas: Object.fromEntries(Object.entries(def.resources).map(([k, r]) => [k, schema(r.schema)])),
      data_source_schemas: Object.fromEntries(Object.entries(def.dataSources).map(([k, d]) => [k, schema(d.schema)])),
      server_capabilities: {},
    }),
    PrepareProviderConfig: (req) => ({ prepared_config: req.config }),
    Configure: () => ({}),
    ValidateResourceTypeConfig: (req) => ({ diagnostics: diagnostics(resource(req.type_name).validate(value(req.config) ?? {})) }),
    ValidateDataSourceConfig: (req) => ({ diagnostics: diagnostics(dataSource(req.type_name).validate(value(req.config) ?? {})) }),
    UpgradeResourceState: (req) => {
      const raw = req.raw_state as { json?: Uint8Array } | undefined;
      const stored: Value = raw?.json?.length ? (JSON.parse(Buffer.from(raw.json).toString("utf8")) as Value) : null;
      const result = resource(req.type_name).upgrade(Number(req.version ?? 0), stored);
      return { upgraded_state: encodeValue(result.state), diagnostics: diagnostics(result.diagnostics) };
    },
    ReadResource: (req) => {
      const current = value(req.current_state);
      const result = current ? resource(req.type_name).read(current) : { state: null };
      return { new_state: encodeValue(result.state), private: req.private, diagnostics: diagnostics(result.diagnostics) };
    },
    PlanResourceChange: (req) => {
      const result = resource(req.type_name).plan(value(req.prior_state), value(req.proposed_new_state), value(req.config));
      return {
        planned_state: encodeValue(result.planned),
        requires_replace: (result.requiresReplace ?? []).map((name) => ({ steps: [{ attribute_name: name }] })),
        planned_private: req.prior_private,
        diagnostics: diagnostics(result.diagnostics),
      };
    },
    ApplyResourceChange: (req) => {
      const result = resource(req.type_name).apply(value(req.prior_state), value(req.planned_state));
      return { new_state: encodeValue(result.state), private: req.planned_private, diagnostics: diagnostics(result.diagnostics) };
    },
    ImportResourceState: () => ({
      diagnostics: diagnostics([
        {
          severity: "error",
          summary: "Resource Import Not Implemented",
          detail: "This resource does not support import. Please contact the provider developer for additional information.",
        },
      ]),
    }),
    ReadDataSource: async (req) => {
      const result = await dataSource(req.type_name).read(value(req.config) ?? {});
      return { state: encodeValue(result.state), diagnostics: diagnostics(result.diagnostics) };
    },
    Stop: () => {
      def.stop();
      return { Error: "" };
    },
  };
  return Object.fromEntries(
    Object.entries(handlers).map(([rpc, handle]) => [
      rpc,
      (call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, callback: grpc.sendUnaryData<Record<string, unknown>>) => {
        log(`${def.name}: ${rpc}${call.request.type_name ? ` ${String(call.request.type_name)}` : ""}`);
        Promise.resolve()
          .then(() => handle(call.request))
          .then(
            (response) => callback(null, response),
            (e: Error) =>
              callback(null, {
                diagnostics: diagnostics([{ severity: "error", summary: `Provider ${def.name} failed in ${rpc}`, detail: e.stack ?? e.message }]),
              }),
          );
      },
    ]),
  );
}

function schema(block: BlockSchema): Record<string, unknown> {
  return {
    version: block.version,
    block: {
      version: block.version,
      description: block.description,
      attributes: block.attributes.map((a) => ({
        name: a.name,
        type: Buffer.from(JSON.stringify(a.type)),
        description: a.description,
        required: a.required ?? false,
        optional: a.optional ?? false,
        computed: a.computed ?? false,
      })),
    },
  };
}

function diagnostics(list: Diagnostic[] | undefined): Record<string, unknown>[] {
  return (list ?? []).map((d) => ({
    severity: d.severity === "error" ? 1 : 2,
    summary: d.summary,
    detail: d.detail,
    ...(d.attribute ? { attribute: { steps: [{ attribute_name: d.attribute }] } } : {}),
  }));
}
