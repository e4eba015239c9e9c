import { Option, type Command } from "commander";
import type { Entitlement } from "../../contract/api-types";
import { ENTITLEMENT_SERIAL_PATTERN } from "../../contract/object-key";
import type { CliContext } from "../cli-context";
import { formatOption, integer } from "../option-parsers";
import { render, type OutputFormat } from "../output-format";
import { programOption, requiredProgram } from "../program-option";
import { programEntitlements, type EntitlementFilters } from "../program-entitlements";
import { didYouMean } from "../../contract/closest-name";
import { UsageError } from "../usage-error";
import { utcTime } from "../utc-time";

const ACTIONS = ["stop", "reactivate", "token"] as const;
type Action = (typeof ACTIONS)[number];

interface EntitlementsOptions {
  config?: number;
  account?: number;
  program?: string;
  status?: "ACTIVE";
  tokenStatus?: "USED";
  yes?: boolean;
  dryRun?: boolean;
  showTokens?: boolean;
  format: OutputFormat;
}

/** `fortiflex entitlements [action] [serials...]`: lists entitlements, or stops, reactivates or renews the token of some. */
export function addEntitlementsCommand(program: Command, ctx: CliContext): void {
  program
    .command("entitlements")
    .description("list entitlements, or stop / reactivate / regenerate the token of the given serial numbers")
    .argument("[action]", `one of ${ACTIONS.join(", ")} (omit to list)`)
    .argument("[serials...]", "serial numbers for the action")
    .option("-c, --config <id>", "list: only this configuration", integer)
    .option("-a, --account <id>", "list: only this member account of the program", integer)
    .addOption(programOption(ctx.io.env, { required: false, description: "list: the program (all its entitlements unless -c or -a)" }))
    .addOption(new Option("-s, --status <status>", "list: only this status").choices(["PENDING", "ACTIVE", "STOPPED", "EXPIRED"]))
    .addOption(new Option("-t, --token-status <status>", "list: only this token status").choices(["USED", "NOTUSED"]))
    .option("-y, --yes", "action: do not ask for confirmation")
    .option("-n, --dry-run", "action: show what would change and change nothing")
    .option("--show-tokens", "list: print license tokens (hidden by default)")
    .addOption(formatOption())
    .action(async (action: string | undefined, serials: string[], o: EntitlementsOptions) =>
      action ? changeEntitlements(ctx, checkedAction(action, serials), serials, o) : listEntitlements(ctx, o),
    );
}

async function listEntitlements(ctx: CliContext, o: EntitlementsOptions): Promise<void> {
  const filters: EntitlementFilters = { ...(o.status ? { status: o.status } : {}), ...(o.tokenStatus ? { tokenStatus: o.tokenStatus } : {}) };
  const list =
    o.config !== undefined
      ? await ctx.client().listEntitlements({ configId: o.config, ...filters })
      : o.account !== undefined
        ? await ctx.client().listEntitlements({ accountId: o.account, programSerialNumber: requiredProgram("entitlements", o.program), ...filters })
        : await programEntitlements(ctx.client(), requiredProgram("entitlements", o.program, "-c, --config <id>"), filters);
  const rows = list.map((e) => ({
    ...e,
    startDate: utcTime(e.startDate),
    endDate: utcTime(e.endDate),
    token: o.showTokens ? e.token : e.token ? "(hidden)" : "",
  }));
  ctx.out(render(rows, ["serialNumber", "status", "tokenStatus", "configId", "accountId", "description", "endDate", "token"], o.format));
}

/** The action, once it and its serial numbers are known to be well-formed. */
function checkedAction(action: string, serials: string[]): Action {
  if (!(ACTIONS as readonly string[]).includes(action))
    throw new UsageError(`entitlements: unknown action "${action}"${didYouMean(action, ACTIONS)} (allowed: ${ACTIONS.join(", ")}; omit it to list)`);
  if (!serials.length) throw new UsageError(`entitlements ${action}: give at least one serial number`);
  const bad = serials.filter((s) => !ENTITLEMENT_SERIAL_PATTERN.test(s));
  if (bad.length)
    throw new UsageError(
      `entitlements ${action}: ${bad.map((s) => JSON.stringify(s)).join(", ")} ` +
        `${bad.length > 1 ? "are not serial numbers" : "is not a serial number"} (e.g. FGVMELTM25008315)`,
    );
  return action as Action;
}

async function changeEntitlements(ctx: CliContext, action: Action, serials: string[], o: EntitlementsOptions): Promise<void> {
  const verb = action === "token" ? "regenerate the license token of" : action;
  if (o.dryRun) {
    ctx.out(`Dry run: would ${verb} ${serials.length} entitlement(s): ${serials.join(", ")}\n`);
    return;
  }
  if (!o.yes && !(await confirmed(ctx, action, verb, serials))) {
    ctx.out("Nothing changed.\n");
    return;
  }
  const c = ctx.client();
  const results: Entitlement[] = [];
  for (const serial of serials) {
    results.push(
      action === "stop" ? await c.stopEntitlement(serial) : action === "reactivate" ? await c.reactivateEntitlement(serial) : await c.regenerateToken(serial),
    );
  }
  ctx.out(
    render(
      results.map((e) => ({ serialNumber: e.serialNumber, status: e.status, tokenStatus: e.tokenStatus, endDate: utcTime(e.endDate) })),
      ["serialNumber", "status", "tokenStatus", "endDate"],
      o.format,
    ),
  );
}

/** Asks on the terminal; without one, the caller must say --yes. */
async function confirmed(ctx: CliContext, action: Action, verb: string, serials: string[]): Promise<boolean> {
  if (!ctx.io.confirm) throw new UsageError(`entitlements ${action}: no terminal to confirm on; add --yes to ${verb} ${serials.join(", ")}`);
  return ctx.io.confirm(`${verb[0].toUpperCase()}${verb.slice(1)} ${serials.length} entitlement(s): ${serials.join(", ")}? [y/N] `);
}
