import { ENV, nonFortinetHostProblem } from "../contract/endpoints";
import { SingleBar } from "cli-progress";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { Entitlement } from "../contract/api-types";
import { FortiFlexClient, type RequestEvent } from "../custom-provider/fortiflex-client";
import { adoptConfig, adoptEntitlement } from "../custom-provider/adoption-operations";
import { endpointsFromEnv } from "../custom-provider/settings";
import { ENTITLEMENT_SERIAL_PATTERN, KEY_PATTERN } from "../contract/object-key";
import { checkParameters, PRODUCT_TYPES, productTypeById } from "../contract/product-catalog";
import { OUTPUT_FORMATS, render, type OutputFormat } from "./output-format";
import { pointsReport, type PointsGrouping } from "./points-report";

/** What the CLI talks to: streams, a yes/no prompt, the environment and a clock. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** Asks a yes/no question; undefined when there is no terminal to ask on. */
  readonly confirm?: (question: string) => Promise<boolean>;
  readonly today?: () => string;
}

const ACTIONS = ["stop", "reactivate", "token"] as const;

/**
 * `fortiflex`: day-to-day FortiFlex operations for MSSP operators, on the project's API client. Returns the
 * exit status: 0 done, 1 failed (one readable line on stderr), 2 bad usage.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const out = (text: string) => io.stdout.write(text);
  const err = (text: string) => io.stderr.write(text);
  let verbose = false;
  let allowNonFortinetHost = false;
  const client = () => {
    const created = FortiFlexClient.fromEnv(io.env, {
      allowNonFortinetHost,
      ...(verbose
        ? {
            onEvent: (e: RequestEvent) =>
              err(
                `  ${e.operation} attempt ${e.attempt}: ${e.outcome}${e.httpStatus ? ` HTTP ${e.httpStatus}` : ""} in ${e.durationMs} ms${e.detail ? ` (${e.detail})` : ""}\n`,
              ),
          }
        : {}),
    });
    // Refused before anything is sent; the client refuses too, this says which variable and which flag.
    const endpoints = endpointsFromEnv(io.env);
    for (const [which, name, url] of [
      ["api", ENV.apiUrl, endpoints.apiUrl],
      ["auth", ENV.authUrl, endpoints.authUrl],
    ] as const) {
      const host = allowNonFortinetHost ? undefined : nonFortinetHostProblem(which, url);
      if (host)
        throw new UsageError(
          `${name} is ${JSON.stringify(url.slice(0, 200))}: ${host}; the FortiFlex credentials are sent there only with --allow-non-fortinet-host`,
        );
    }
    return created;
  };

  const program = new Command("fortiflex")
    .description(`FortiFlex reporting and entitlement operations (credentials: ${ENV.username} / ${ENV.password})`)
    .option("-v, --verbose", "show every API request with its timing (never secrets)")
    .option("--allow-non-fortinet-host", `send the credentials to ${ENV.apiUrl} / ${ENV.authUrl} on a host other than Fortinet's FortiFlex hosts or loopback`)
    .exitOverride()
    .showHelpAfterError("(fortiflex <command> --help shows the usage)")
    .configureOutput({ writeOut: out, writeErr: err })
    .hook("preAction", (cmd) => {
      verbose = Boolean(cmd.opts().verbose);
      allowNonFortinetHost = Boolean(cmd.opts().allowNonFortinetHost);
    });
  const format = () => new Option("-f, --format <format>", "output format").choices(OUTPUT_FORMATS).default("table");

  program
    .command("programs")
    .description("list FortiFlex programs")
    .addOption(format())
    .action(async (o: { format: OutputFormat }) => {
      const rows = await client().listPrograms();
      out(render(rows as unknown as Record<string, unknown>[], ["serialNumber", "accountId", "startDate", "endDate", "hasSupportCoverage"], o.format));
    });

  program
    .command("configs")
    .description("list configurations of a program")
    .requiredOption("-p, --program <serial>", "program serial number")
    .option("-a, --account <id>", "member account", integer)
    .addOption(new Option("-s, --status <status>", "only this status").choices(["ACTIVE", "DISABLED"]))
    .addOption(format())
    .action(async (o: { program: string; account?: number; status?: string; format: OutputFormat }) => {
      const configs = (await client().listConfigs({ programSerialNumber: o.program, ...(o.account ? { accountId: o.account } : {}) })).filter(
        (c) => !o.status || c.status === o.status,
      );
      const rows = configs.map((c) => ({
        id: c.id,
        name: c.name,
        status: c.status,
        accountId: c.accountId,
        productType: c.productType.name,
        parameters: c.parameters
          .filter((p) => p.value !== "NONE")
          .map((p) => `${p.name ?? p.id}=${p.value}`)
          .join(" "),
      }));
      out(render(rows, ["id", "name", "status", "accountId", "productType", "parameters"], o.format));
    });

  program
    .command("entitlements")
    .description("list entitlements, or stop / reactivate / regenerate the token of the given serial numbers")
    .argument("[action]", `one of ${ACTIONS.join(", ")} (omit to list)`)
    .argument("[serials...]", "serial numbers for the action")
    .option("-c, --config <id>", "list: configuration id", integer)
    .option("-a, --account <id>", "list: member account (with --program)", integer)
    .option("-p, --program <serial>", "list: program serial number (with --account)")
    .addOption(new Option("-s, --status <status>", "list: only this status").choices(["PENDING", "ACTIVE", "STOPPED", "EXPIRED"]))
    .addOption(new Option("-t, --token-status <status>", "list: only this token status").choices(["USED", "NOTUSED"]))
    .option("-y, --yes", "action: do not ask for confirmation")
    .option("-n, --dry-run", "action: show what would change and change nothing")
    .option("--show-tokens", "list: print license tokens (hidden by default)")
    .addOption(format())
    .action(
      async (
        action: string | undefined,
        serials: string[],
        o: {
          config?: number;
          account?: number;
          program?: string;
          status?: "ACTIVE";
          tokenStatus?: "USED";
          yes?: boolean;
          dryRun?: boolean;
          showTokens?: boolean;
          format: OutputFormat;
        },
      ) => {
        if (!action) {
          if (o.config === undefined && (o.account === undefined || !o.program))
            throw new UsageError("entitlements: give --config <id>, or --account <id> and --program <serial>");
          const list = await client().listEntitlements({
            ...(o.config !== undefined ? { configId: o.config } : { accountId: o.account, programSerialNumber: o.program }),
            ...(o.status ? { status: o.status } : {}),
            ...(o.tokenStatus ? { tokenStatus: o.tokenStatus } : {}),
          });
          const rows = list.map((e) => ({ ...e, token: o.showTokens ? e.token : e.token ? "(hidden)" : "" }));
          out(
            render(
              rows as unknown as Record<string, unknown>[],
              ["serialNumber", "status", "tokenStatus", "configId", "accountId", "description", "endDate", "token"],
              o.format,
            ),
          );
          return;
        }
        if (!(ACTIONS as readonly string[]).includes(action))
          throw new UsageError(`entitlements: unknown action "${action}" (allowed: ${ACTIONS.join(", ")}; omit it to list)`);
        if (!serials.length) throw new UsageError(`entitlements ${action}: give at least one serial number`);
        const bad = serials.filter((s) => !ENTITLEMENT_SERIAL_PATTERN.test(s));
        if (bad.length)
          throw new UsageError(
            `entitlements ${action}: ${bad.map((s) => JSON.stringify(s)).join(", ")} ${bad.length > 1 ? "are not serial numbers" : "is not a serial number"} (e.g. FGVMELTM25008315)`,
          );
        const verb = action === "token" ? "regenerate the license token of" : action;
        if (o.dryRun) {
          out(`Dry run: would ${verb} ${serials.length} entitlement(s): ${serials.join(", ")}\n`);
          return;
        }
        if (!o.yes) {
          if (!io.confirm) throw new UsageError(`entitlements ${action}: no terminal to confirm on; add --yes to ${verb} ${serials.join(", ")}`);
          if (!(await io.confirm(`${verb[0].toUpperCase()}${verb.slice(1)} ${serials.length} entitlement(s): ${serials.join(", ")}? [y/N] `))) {
            out("Nothing changed.\n");
            return;
          }
        }
        const c = client();
        const results: Entitlement[] = [];
        for (const serial of serials) {
          results.push(
            action === "stop"
              ? await c.stopEntitlement(serial)
              : action === "reactivate"
                ? await c.reactivateEntitlement(serial)
                : await c.regenerateToken(serial),
          );
        }
        out(
          render(
            results.map((e) => ({ serialNumber: e.serialNumber, status: e.status, tokenStatus: e.tokenStatus, endDate: e.endDate })),
            ["serialNumber", "status", "tokenStatus", "endDate"],
            o.format,
          ),
        );
      },
    );

  program
    .command("points")
    .description("points consumed over a date range (default: program start to today), with totals")
    .requiredOption("-p, --program <serial>", "program serial number")
    .option("-a, --account <id...>", "only these member accounts", collectIntegers)
    .option("-c, --config <id...>", "only these configurations", collectIntegers)
    .option("--from <date>", "first day, YYYY-MM-DD (default: program start)", isoDate)
    .option("--to <date>", "last day, YYYY-MM-DD (default: today)", isoDate)
    .addOption(new Option("-b, --by <grouping>", "group rows by").choices(["config", "account", "serial"]).default("config"))
    .addOption(format())
    .action(async (o: { program: string; account?: number[]; config?: number[]; from?: string; to?: string; by: PointsGrouping; format: OutputFormat }) => {
      const c = client();
      const program = (await c.listPrograms()).find((p) => p.serialNumber === o.program);
      if (!program) throw new Error(`program ${o.program} is not visible to this API user`);
      const from = o.from ?? program.startDate.slice(0, 10);
      const to = o.to ?? (io.today ?? (() => new Date().toISOString().slice(0, 10)))();
      if (to < from) throw new UsageError(`points: --to ${to} is before --from ${from}`);
      const bar = io.stderr.isTTY
        ? new SingleBar({ format: "points {bar} {value}/{total} requests", stream: io.stderr as NodeJS.WriteStream, hideCursor: true, clearOnComplete: true })
        : undefined;
      const report = await pointsReport(
        c,
        { programSerialNumber: o.program, accountIds: o.account, configIds: o.config, from, to, groupBy: o.by },
        (done, total) => {
          if (!bar || total < 2) return;
          if (done === 1) bar.start(total, 0);
          bar.update(done);
        },
      );
      bar?.stop();
      if (o.format === "json") {
        out(`${JSON.stringify({ program: o.program, from, to, groupBy: o.by, rows: report.rows, total: report.total }, null, 2)}\n`);
        return;
      }
      const rows = [
        ...report.rows.map((r) => ({ [o.by]: r.key, name: r.label, accountId: r.accountId, entitlements: r.entitlements, points: r.points.toFixed(2) })),
        { [o.by]: "TOTAL", name: "", accountId: "", entitlements: report.rows.reduce((s, r) => s + r.entitlements, 0), points: report.total.toFixed(2) },
      ];
      if (o.format === "table") out(`Points of ${o.program} from ${from} to ${to}, by ${o.by}:\n`);
      out(render(rows, [o.by, "name", "accountId", "entitlements", "points"], o.format));
    });

  program
    .command("calc")
    .description("daily points of a product before deploying it (FortiFlex points calculator)")
    .requiredOption("-p, --program <serial>", "program serial number")
    .requiredOption(
      "--product <type>",
      `product type id or name (${PRODUCT_TYPES.slice(0, 4)
        .map((p) => p.name)
        .join(", ")}, ...)`,
    )
    .requiredOption("--param <id=value...>", "parameter, repeatable (e.g. --param 1=4 --param 2=UTP)", collectParams)
    .option("--count <n>", "number of units", integer, 1)
    .addOption(format())
    .action(async (o: { program: string; product: string; param: { id: number; value: string }[]; count: number; format: OutputFormat }) => {
      const product = /^\d+$/.test(o.product)
        ? productTypeById(Number(o.product))
        : PRODUCT_TYPES.find((p) => p.name.toLowerCase() === o.product.toLowerCase());
      if (!product) throw new UsageError(`calc: unknown product "${o.product}" (allowed: ${PRODUCT_TYPES.map((p) => `${p.id} ${p.name}`).join(", ")})`);
      const problems = checkParameters(product.id, o.param);
      if (problems.length) throw new UsageError(`calc: ${problems[0]}`);
      const result = await client().calc({ programSerialNumber: o.program, productTypeId: product.id, count: o.count, parameters: o.param });
      const rows = [
        {
          product: product.name,
          count: o.count,
          pointsPerDay: result.current,
          per30Days: Math.round(result.current * 30 * 100) / 100,
          latest: result.latest ?? "",
          latestEffectiveDate: result.latestEffectiveDate ?? "",
        },
      ];
      out(render(rows, ["product", "count", "pointsPerDay", "per30Days", "latest", "latestEffectiveDate"], o.format));
    });

  program
    .command("adopt")
    .description(
      "give an existing configuration (--config-id) or entitlement (--serial) a stack's key, so that the stack takes it over instead of creating one; never creates or stops anything",
    )
    .requiredOption("-p, --program <serial>", "program serial number")
    .option("-a, --account <id>", "member account (default: the API user's own)", integer)
    .requiredOption(
      "-k, --key <key>",
      "the construct's key, exactly, e.g. \"contoso/FortiGate/FortiFlexConfig\" (see the plan or cdk.tf.json); a key no construct declares is stopped by its stack's next apply",
    )
    .option("--config-id <id>", "the configuration to adopt", integer)
    .option("--product <type>", "the product type of the construct's configuration (id or name), checked")
    .option("--serial <serial>", "the entitlement to adopt")
    .action(async (o: { program: string; account?: number; key: string; configId?: number; product?: string; serial?: string }) => {
      if ((o.configId === undefined) === (o.serial === undefined)) throw new UsageError("adopt: give --config-id or --serial");
      if (!KEY_PATTERN.test(o.key)) throw new UsageError(`adopt: a key is 1-80 letters, digits or . _ : / - (got "${o.key}")`);
      const product =
        o.product === undefined
          ? undefined
          : /^\d+$/.test(o.product)
            ? productTypeById(Number(o.product))
            : PRODUCT_TYPES.find((p) => p.name.toLowerCase() === o.product!.toLowerCase());
      if (o.product !== undefined && !product) throw new UsageError(`adopt: unknown product "${o.product}"`);
      const endpoints = { api_url: "", auth_url: "" };
      const scope = { key: o.key, program_serial_number: o.program, account_id: o.account === undefined ? "" : String(o.account), ...endpoints };
      const log = (line: string) => out(`${line}\n`);
      if (o.configId !== undefined) {
        const existing = (await client().listConfigs({ programSerialNumber: o.program })).find((c) => c.id === o.configId);
        await adoptConfig(client(), { kind: "config", ...scope, product_type_id: String(product?.id ?? existing?.productType.id ?? "") }, o.configId, log);
      } else {
        await adoptEntitlement(client(), { kind: "entitlement", ...scope }, o.serial!, product ? String(product.id) : "", log);
      }
      // A key no construct declares is swept: the stack of its namespace stops what it does not declare.
      out(
        `The key must be exactly the construct's (see the plan or cdk.tf.json): the next apply of stack "${o.key.split("/")[0]}" stops an object whose key it does not declare.\n`,
      );
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander already printed usage or help
    if (e instanceof UsageError) {
      err(`fortiflex: ${e.message}\n`);
      return 2;
    }
    err(`fortiflex: ${(e as Error).message}\n`);
    return 1;
  }
}

class UsageError extends Error {}

function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("must be a whole number");
  return Number(value);
}

function collectIntegers(value: string, previous: number[] = []): number[] {
  return [...previous, integer(value)];
}

function isoDate(value: string): string {
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ||
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value
  ) {
    throw new InvalidArgumentError("must be a date YYYY-MM-DD");
  }
  return value;
}

function collectParams(value: string, previous: { id: number; value: string }[] = []): { id: number; value: string }[] {
  const m = /^(\d+)=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError("must be <parameter id>=<value>, e.g. 1=4");
  return [...previous, { id: Number(m[1]), value: m[2] }];
}
