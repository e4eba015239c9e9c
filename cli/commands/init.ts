import * as fs from "node:fs";
import * as path from "node:path";
import { Option, type Command } from "commander";
import { version } from "../../package.json";
import type { CliContext } from "../cli-context";
import { DEFAULT_FRAMEWORK, fleetFiles, FRAMEWORKS, type FleetFramework, type FleetOptions } from "../scaffold/fleet-files";
import { repositoryPath, writeRepositoryFile } from "../scaffold/repository-path";
import { planUpgrade, readRecord, SCAFFOLD_RECORD, unifiedDiff, writeRecord, type FilePlan } from "../scaffold/scaffold-upgrade";
import { UsageError } from "../usage-error";

interface InitOptions {
  readonly framework?: FleetFramework;
  readonly owner?: string;
  readonly force: boolean;
  readonly upgrade: boolean;
  readonly dryRun: boolean;
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/** `fortiflex init [directory]`: writes a fleet repository, or (--upgrade) brings one to this release's scaffold. */
export function addInitCommand(program: Command, ctx: CliContext): void {
  program
    .command("init")
    .description("write a fleet repository (customers file, main.ts, GitOps workflows, README), or upgrade its scaffold (no API request)")
    .argument("[directory]", "where to write it", ".")
    .addOption(
      new Option("--framework <framework>", `cdktn (CDK Terrain, the maintained successor of CDKTF: the default) or cdktf`).choices(Object.keys(FRAMEWORKS)),
    )
    .option("--owner <organization>", "the GitHub organization whose teams own the files (CODEOWNERS)", "example-org")
    .option("--force", "write into a directory that is not empty: files that exist are kept and listed, never overwritten", false)
    .option("--upgrade", "bring the scaffolded files to this release: your edits are kept, conflicts written beside them", false)
    .option("--dry-run", "with --upgrade: show what would change, as a diff, and write nothing", false)
    .action((directory: string, o: InitOptions) => {
      const dir = path.resolve(directory);
      if (o.dryRun && !o.upgrade) throw new UsageError("--dry-run goes with --upgrade (a new fleet is written into an empty directory)");
      if (o.owner !== undefined && !OWNER.test(o.owner)) throw new UsageError(`--owner ${JSON.stringify(o.owner)}: a GitHub organization name`);
      if (o.upgrade) upgrade(ctx, dir, o);
      else create(ctx, dir, { framework: o.framework ?? DEFAULT_FRAMEWORK, owner: o.owner ?? "example-org" }, o.force);
    });
}

function create(ctx: CliContext, dir: string, options: FleetOptions, force: boolean): void {
  const existing = fs.existsSync(dir) ? fs.readdirSync(dir).filter((e) => e !== ".git") : [];
  if (readRecord(dir)) throw new UsageError(`${dir} is a fleet repository already (${SCAFFOLD_RECORD}): fortiflex init --upgrade brings it to this release`);
  if (existing.length && !force) {
    const shown = existing.slice(0, 5).join(", ") + (existing.length > 5 ? `, and ${existing.length - 5} more` : "");
    throw new UsageError(`${dir} is not empty (${shown}): run it in an empty directory, or add --force to write beside them (nothing is overwritten)`);
  }
  const files = fleetFiles(options);
  const kept: string[] = [];
  for (const rel of [...files.keys(), SCAFFOLD_RECORD]) repositoryPath(dir, rel); // every target checked before anything is written
  for (const [rel, content] of files) {
    if (exists(repositoryPath(dir, rel))) {
      kept.push(rel);
      continue;
    }
    writeRepositoryFile(dir, rel, content, true);
    ctx.out(`  wrote ${rel}\n`);
  }
  for (const rel of kept) ctx.out(`  kept  ${rel} (it exists; not overwritten: compare with .fortiflex/scaffold/${rel})\n`);
  writeRecord(dir, { version, framework: options.framework, owner: options.owner, files: [...files.keys()] }, files);
  const fw = FRAMEWORKS[options.framework];
  ctx.out(
    `A ${fw.name} fleet repository (${fw.library} ${version}) in ${dir}. Next:\n` +
      `  npm install            # the versions package.json pins; commit package-lock.json\n` +
      `  npm run synth          # the example customers, into cdktf.out/stacks/\n` +
      `  npm run fortiflex -- doctor   # credentials, program and accounts, state backend, tools\n` +
      `Then README.md: what to fill in, and the identities, environments and secrets the workflows need.\n`,
  );
}

function upgrade(ctx: CliContext, dir: string, o: InitOptions): void {
  const record = readRecord(dir);
  if (!record) throw new UsageError(`${dir} has no ${SCAFFOLD_RECORD}: it was not written by fortiflex init (run init in an empty directory)`);
  const framework = record.framework as FleetFramework;
  if (o.framework && o.framework !== framework)
    throw new UsageError(`the fleet uses ${framework}; --upgrade keeps its framework (moving to ${o.framework} is a change of package.json and main.ts)`);
  const options: FleetOptions = { framework, owner: o.owner ?? record.owner };
  const next = fleetFiles(options);
  const plan = planUpgrade(dir, next);
  ctx.out(`Scaffold ${record.version} -> ${version} (${FRAMEWORKS[framework].library}):\n`);
  for (const p of plan) ctx.out(`  ${p.action.padEnd(9)} ${p.file}${note(p)}\n`);
  const conflicts = plan.filter((p) => p.action === "conflict");
  if (o.dryRun) {
    // What each file would become; for a conflict, what the release has where yours differs.
    for (const p of plan) {
      const shown = p.content ?? (p.action === "conflict" ? next.get(p.file) : undefined);
      if (shown === undefined) continue;
      const current = fs.existsSync(path.join(dir, p.file)) ? fs.readFileSync(path.join(dir, p.file), "utf8") : "";
      ctx.out(unifiedDiff(p.file, current, shown));
    }
    ctx.out("Nothing written (--dry-run).\n");
  } else {
    // Every target checked before anything is written.
    for (const p of plan) repositoryPath(dir, p.action === "conflict" ? `${p.file}.fortiflex-new` : p.file);
    for (const p of plan) {
      if (p.content !== undefined) writeRepositoryFile(dir, p.file, p.content, false);
      if (p.action === "conflict") writeRepositoryFile(dir, `${p.file}.fortiflex-new`, next.get(p.file)!, false);
    }
    writeRecord(dir, { version, framework, owner: options.owner, files: [...next.keys()] }, next);
  }
  if (conflicts.length) {
    const outcome = o.dryRun
      ? "an upgrade would leave each as it is, with the release's version beside it as <file>.fortiflex-new"
      : "each is left as it was, the release's version beside it as <file>.fortiflex-new";
    throw new Error(
      `${conflicts.length} file(s) changed both by you and by this release in the same lines: ${conflicts.map((p) => p.file).join(", ")}; ${outcome}`,
    );
  }
}

/** Whether anything is at `p`, a dangling symbolic link included. */
function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function note(p: FilePlan): string {
  switch (p.action) {
    case "merge":
      return " (your edits kept, the release's changes applied)";
    case "conflict":
      return " (you and the release changed the same lines: left as it is, the release's version beside it as .fortiflex-new)";
    case "keep":
      return " (your edits; the release did not change it)";
    case "removed":
      return " (you removed it; not restored)";
    default:
      return "";
  }
}
