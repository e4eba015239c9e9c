import { SingleBar } from "cli-progress";
import { Option, type Command } from "commander";
import type { CliContext, CliIo } from "../cli-context";
import { collectIntegers, formatOption, isoDate } from "../option-parsers";
import { render, type OutputFormat } from "../output-format";
import { pointsReport, type PointsGrouping } from "../points-report";
import { programOption, requiredProgram } from "../program-option";
import { UsageError } from "../usage-error";

interface PointsOptions {
  program?: string;
  account?: number[];
  config?: number[];
  from?: string;
  to?: string;
  by: PointsGrouping;
  format: OutputFormat;
}

/** `fortiflex points`: points consumed over a date range, grouped, with a total. */
export function addPointsCommand(program: Command, ctx: CliContext): void {
  program
    .command("points")
    .description("points consumed over a date range (default: program start to today), with totals")
    .addOption(programOption(ctx.io.env, { required: true }))
    .option("-a, --account <id...>", "only these member accounts", collectIntegers)
    .option("-c, --config <id...>", "only these configurations", collectIntegers)
    .option("--from <date>", "first day, YYYY-MM-DD (default: program start)", isoDate)
    .option("--to <date>", "last day, YYYY-MM-DD (default: today)", isoDate)
    .addOption(new Option("-b, --by <grouping>", "group rows by").choices(["config", "account", "serial"]).default("config"))
    .addOption(formatOption())
    .action((o: PointsOptions) => points(ctx, o));
}

async function points(ctx: CliContext, o: PointsOptions): Promise<void> {
  const serial = requiredProgram("points", o.program);
  const c = ctx.client();
  const program = (await c.listPrograms()).find((p) => p.serialNumber === serial);
  if (!program) throw new Error(`program ${serial} is not visible to this API user`);
  const from = o.from ?? program.startDate.slice(0, 10);
  const to = o.to ?? (ctx.io.today ?? (() => new Date().toISOString().slice(0, 10)))();
  if (to < from) throw new UsageError(`points: --to ${to} is before --from ${from}`);
  const progress = progressBar(ctx.io);
  const report = await pointsReport(c, { programSerialNumber: serial, accountIds: o.account, configIds: o.config, from, to, groupBy: o.by }, progress.update);
  progress.stop();
  if (o.format === "json") {
    ctx.out(`${JSON.stringify({ program: serial, from, to, groupBy: o.by, rows: report.rows, total: report.total }, null, 2)}\n`);
    return;
  }
  const rows = [
    ...report.rows.map((r) => ({ [o.by]: r.key, name: r.label, accountId: r.accountId, entitlements: r.entitlements, points: r.points.toFixed(2) })),
    { [o.by]: "TOTAL", name: "", accountId: "", entitlements: report.rows.reduce((s, r) => s + r.entitlements, 0), points: report.total.toFixed(2) },
  ];
  if (o.format === "table") ctx.out(`Points of ${serial} from ${from} to ${to}, by ${o.by}:\n`);
  ctx.out(render(rows, [o.by, "name", "accountId", "entitlements", "points"], o.format));
}

/** A request counter on a terminal's stderr, shown only when the report takes more than one request. */
function progressBar(io: CliIo): { update: (done: number, total: number) => void; stop: () => void } {
  const bar = io.stderr.isTTY
    ? new SingleBar({ format: "points {bar} {value}/{total} requests", stream: io.stderr as NodeJS.WriteStream, hideCursor: true, clearOnComplete: true })
    : undefined;
  return {
    update: (done, total) => {
      if (!bar || total < 2) return;
      if (done === 1) bar.start(total, 0);
      bar.update(done);
    },
    stop: () => bar?.stop(),
  };
}
