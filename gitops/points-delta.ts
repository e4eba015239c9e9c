/**
 * What a merge costs in FortiFlex points: each changed customer's daily points before and after, and the
 * fleet's, from the synthesized base and head stacks. An entitlement counts while its declared status is
 * ACTIVE; its configuration (product type and parameters) is priced with the points calculator
 * (tools/calc), once per distinct configuration, at the endpoints the stack itself uses, with the
 * credentials of FORTIFLEX_ACCESS_USERNAME / FORTIFLEX_ACCESS_PASSWORD (a read-only API user will do). They
 * go to a host other than Fortinet's or loopback only when the stack's code opts in, as the handler reads it,
 * and, for the head (the change under review), only when the base already opted in to those endpoints: a pull
 * request cannot send the review's credentials to a host of its own choosing.
 *
 *   fortiflex gitops points-delta <base cdktf.out> <head cdktf.out>   -> JSON on stdout
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FortiFlexClient } from "../custom-provider/fortiflex-client";
import { HANDLER_ENV, STEP_IDS } from "../contract/handler-contract";
import { fixedTriggersOf, hasStepId } from "../contract/step-address";
import { parseParameters } from "../contract/parameter-list";
import { changedStacks } from "./changed-stacks";
import { type GitopsCommand, usageMistake } from "./gitops-command";

/** A configuration to price: declared in the stack, or an existing one it refers to by id ("#<id>"). */
export type PricedConfiguration = {
  readonly apiUrl: string;
  readonly authUrl: string;
  /** The stack's code opts in to a host other than Fortinet's or loopback for these endpoints. */
  readonly allowNonFortinetHost: boolean;
  readonly programSerialNumber: string;
} & ({ readonly productTypeId: number; readonly parameters: string } | { readonly configId: number; readonly accountId: string });

export interface ActiveEntitlement {
  readonly key: string;
  readonly configuration: PricedConfiguration;
}

export interface PointsDelta {
  /** The customers whose stacks differ (changed, added, removed or retired), by name. */
  readonly customers: { readonly stack: string; readonly before: number; readonly after: number }[];
  /** Every customer of base and head. */
  readonly fleet: { readonly before: number; readonly after: number };
  /** FortiFlex requests made: one calc per distinct configuration, one list per scope with configurations referred to by id. */
  readonly requests: number;
}

/** Points per day of one configuration. */
export type Pricer = (configuration: PricedConfiguration) => Promise<number>;

interface TfJson {
  locals?: Record<string, Record<string, string>>;
  resource?: Record<
    string,
    Record<
      string,
      {
        triggers?: Record<string, string> | string;
        triggers_replace?: Record<string, string> | string;
        provisioner?: { "local-exec"?: { environment?: Record<string, string> } }[];
      }
    >
  >;
}

/** The ACTIVE entitlements a synthesized stack (cdk.tf.json) declares, each with its configuration. */
export function activeEntitlements(stack: string, tf: TfJson): ActiveEntitlement[] {
  const steps = stepsIn(tf);
  const configs = declaredConfigurations(steps);
  return steps.withId(STEP_IDS.settings).flatMap(([address, settings]) => {
    const { identity, allowNonFortinetHost } = steps.lifecycleOf(settings);
    if (identity?.kind !== "entitlement" || settings.status !== "ACTIVE") return [];
    const byId = /^#(\d+)$/.exec(settings.config_key ?? "");
    const configuration: PricedConfiguration | undefined = byId
      ? { ...whereToPrice(identity, allowNonFortinetHost), configId: Number(byId[1]), accountId: identity.account_id ?? "" }
      : configs.get(settings.config_key ?? "");
    if (!configuration)
      throw new Error(
        `stack ${stack}: entitlement ${identity.key} (${address}) names configuration ${JSON.stringify(settings.config_key)}, which the stack does not declare`,
      );
    return [{ key: identity.key, configuration }];
  });
}

/** The library's steps of a synthesized stack, by address, with their triggers. */
interface StackSteps {
  /** The steps whose address carries construct id `stepId`. */
  withId(stepId: string): [address: string, triggers: Record<string, string>][];
  /** A Settings step's lifecycle, from its `lifecycle` trigger ("${null_resource.<name>.id}"): its identity and its opt-in. */
  lifecycleOf(settings: Record<string, string>): { identity?: Record<string, string>; allowNonFortinetHost: boolean };
}

function stepsIn(tf: TfJson): StackSteps {
  const steps = new Map<string, Record<string, string>>();
  /** Steps whose own environment opts in to a host other than Fortinet's or loopback (where the handler reads it). */
  const optedIn = new Set<string>();
  for (const type of ["null_resource", "terraform_data"]) {
    for (const [name, block] of Object.entries(tf.resource?.[type] ?? {})) {
      steps.set(`${type}.${name}`, fixedTriggersOf(tf, block));
      if ((block.provisioner ?? []).some((p) => p["local-exec"]?.environment?.[HANDLER_ENV.allowNonFortinetHost] === "true")) optedIn.add(`${type}.${name}`);
    }
  }
  return {
    withId: (stepId) => [...steps].filter(([address]) => hasStepId(address, stepId)),
    lifecycleOf: (settings) => {
      const address = /^\$\{([a-z_]+\.[^.}]+)\.id\}$/.exec(settings.lifecycle ?? "")?.[1] ?? "";
      return { identity: steps.get(address), allowNonFortinetHost: optedIn.has(address) };
    },
  };
}

/** The configurations the stack declares, by key, as the points calculator prices them. */
function declaredConfigurations(steps: StackSteps): Map<string, PricedConfiguration> {
  const configs = new Map<string, PricedConfiguration>();
  for (const [, settings] of steps.withId(STEP_IDS.settings)) {
    const { identity, allowNonFortinetHost } = steps.lifecycleOf(settings);
    if (identity?.kind !== "config") continue;
    configs.set(identity.key, {
      ...whereToPrice(identity, allowNonFortinetHost),
      productTypeId: Number(identity.product_type_id),
      parameters: settings.parameters ?? "",
    });
  }
  return configs;
}

/** The endpoints and program a lifecycle step's object lives at: where its configuration is priced. */
function whereToPrice(identity: Record<string, string>, allowNonFortinetHost: boolean) {
  return { apiUrl: identity.api_url, authUrl: identity.auth_url, allowNonFortinetHost, programSerialNumber: identity.program_serial_number };
}

/** The stacks of a synth output by name (cdk.tf.json only: HCL output is not read). */
function stacksOf(out: string): Map<string, TfJson> {
  const dir = path.join(out, "stacks");
  const stacks = new Map<string, TfJson>();
  if (!fs.existsSync(dir)) return stacks;
  for (const name of fs.readdirSync(dir).sort()) {
    const json = path.join(dir, name, "cdk.tf.json");
    if (fs.existsSync(json)) stacks.set(name, JSON.parse(fs.readFileSync(json, "utf8")) as TfJson);
    else if (fs.existsSync(path.join(dir, name, "cdk.tf")))
      throw new Error(`${path.join(dir, name)}: only cdk.tf (HCL) was synthesized; points-delta reads cdk.tf.json`);
  }
  return stacks;
}

export async function pointsDelta(baseOut: string, headOut: string, price: Pricer): Promise<Omit<PointsDelta, "requests">> {
  const round = (n: number) => Math.round(n * 100) / 100;
  const pointsOf = async (stacks: Map<string, TfJson>, trusted?: Set<string>) => {
    const result = new Map<string, number>();
    // One stack at a time: the pricer's cache makes most lookups free, and the API sees one request at a time.
    for (const [name, tf] of stacks) {
      let sum = 0;
      for (const e of activeEntitlements(name, tf)) {
        const c = e.configuration;
        // The head is the change under review: its opt-in to another host counts only where the base had it.
        sum += await price(trusted && c.allowNonFortinetHost && !trusted.has(`${c.apiUrl} ${c.authUrl}`) ? { ...c, allowNonFortinetHost: false } : c);
      }
      result.set(name, round(sum));
    }
    return result;
  };
  const baseStacks = stacksOf(baseOut);
  const trusted = new Set(
    [...baseStacks].flatMap(([name, tf]) =>
      activeEntitlements(name, tf)
        .filter((e) => e.configuration.allowNonFortinetHost)
        .map((e) => `${e.configuration.apiUrl} ${e.configuration.authUrl}`),
    ),
  );
  const before = await pointsOf(baseStacks);
  const after = await pointsOf(stacksOf(headOut), trusted);
  const c = changedStacks(baseOut, headOut);
  const customers = [...c.changed, ...c.added, ...c.removed, ...c.retired]
    .sort()
    .map((stack) => ({ stack, before: before.get(stack) ?? 0, after: after.get(stack) ?? 0 }));
  const total = (m: Map<string, number>) => round([...m.values()].reduce((s, n) => s + n, 0));
  return { customers, fleet: { before: total(before), after: total(after) } };
}

/**
 * A pricer calling tools/calc through one FortiFlexClient per endpoint pair, each distinct configuration
 * priced once (concurrent askers share the request).
 */
export function calcPricer(env: NodeJS.ProcessEnv): { price: Pricer; requests: () => number } {
  const clients = new Map<string, FortiFlexClient>();
  const prices = new Map<string, Promise<number>>();
  const existing = new Map<string, Promise<Map<number, { productTypeId: number; parameters: { id: number; value: string }[] }>>>();
  let requests = 0;
  const clientOf = (c: PricedConfiguration) => {
    const id = `${c.apiUrl} ${c.authUrl} ${c.allowNonFortinetHost}`;
    if (!clients.has(id))
      clients.set(id, FortiFlexClient.fromEnv(env, { apiUrl: c.apiUrl, authUrl: c.authUrl, readOnly: true, allowNonFortinetHost: c.allowNonFortinetHost }));
    return clients.get(id)!;
  };
  const calc = async (c: PricedConfiguration, productTypeId: number, parameters: { id: number; value: string | number }[]) => {
    const key = JSON.stringify([c.apiUrl, c.programSerialNumber, productTypeId, parameters]);
    if (!prices.has(key)) {
      requests++;
      prices.set(
        key,
        clientOf(c)
          .calc({ programSerialNumber: c.programSerialNumber, productTypeId, count: 1, parameters })
          .then((r) => r.current),
      );
    }
    return prices.get(key)!;
  };
  const price: Pricer = async (c) => {
    if ("productTypeId" in c) return calc(c, c.productTypeId, parseParameters(c.parameters));
    const scope = JSON.stringify([c.apiUrl, c.programSerialNumber, c.accountId]);
    if (!existing.has(scope)) {
      requests++;
      const listed = clientOf(c).listConfigs({ programSerialNumber: c.programSerialNumber, ...(c.accountId ? { accountId: c.accountId } : {}) });
      existing.set(
        scope,
        listed.then(
          (configs) =>
            new Map(configs.map((x) => [x.id, { productTypeId: x.productType.id, parameters: x.parameters.map((p) => ({ id: p.id, value: p.value })) }])),
        ),
      );
    }
    const config = (await existing.get(scope)!).get(c.configId);
    if (!config)
      throw new Error(
        `configuration ${c.configId} not found in program ${c.programSerialNumber}${c.accountId ? ` (account ${c.accountId})` : ""} at ${c.apiUrl}`,
      );
    return calc(c, config.productTypeId, config.parameters);
  };
  return { price, requests: () => requests };
}

export function readPointsDelta(file: string): PointsDelta {
  const value = JSON.parse(fs.readFileSync(file, "utf8")) as PointsDelta;
  if (!Array.isArray(value?.customers) || typeof value.fleet?.before !== "number" || typeof value.fleet?.after !== "number") {
    throw new Error(`${file}: not the output of points-delta`);
  }
  return value;
}

export const pointsDeltaCommand: GitopsCommand = {
  name: "points-delta",
  usage: "<base cdktf.out> <head cdktf.out>",
  summary: "a merge's cost in FortiFlex points per day",
  async run(args, io) {
    const [baseOut, headOut] = args;
    if (!baseOut || !headOut || args.length !== 2) {
      return usageMistake(pointsDeltaCommand, io);
    }
    const pricer = calcPricer(io.env);
    try {
      const delta = await pointsDelta(baseOut, headOut, pricer.price);
      io.stdout.write(`${JSON.stringify({ ...delta, requests: pricer.requests() } satisfies PointsDelta)}\n`);
      return 0;
    } catch (e) {
      io.stderr.write(`points-delta: ${(e as Error).message}\n`);
      return 1;
    }
  },
};
