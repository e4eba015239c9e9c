import * as fs from "node:fs";
import type { Command } from "commander";
import { applyPreviewCommand } from "../../gitops/apply-preview";
import { changedInputsCommand } from "../../gitops/changed-inputs";
import { changedStacksCommand } from "../../gitops/changed-stacks";
import { crossReferencesCommand } from "../../gitops/cross-references";
import { driftReportCommand } from "../../gitops/drift-report";
import type { GitopsCommand } from "../../gitops/gitops-command";
import { planGuardCommand } from "../../gitops/plan-guard";
import { planPasswordsCommand } from "../../gitops/plan-passwords";
import { planRecordCommand } from "../../gitops/plan-record";
import { pointsDeltaCommand } from "../../gitops/points-delta";
import { reviewSummaryCommand } from "../../gitops/review-summary";
import { stackDigestCommand } from "../../gitops/stack-digest";
import { terraformEnvironmentCommand } from "../../gitops/terraform-environment";
import type { CliIo } from "../cli-context";
import { UsageError } from "../usage-error";

/** The scripts the GitOps workflows run (the judge), in the order of a review, then an apply, then drift. */
const GITOPS_COMMANDS: readonly GitopsCommand[] = [
  changedInputsCommand,
  crossReferencesCommand,
  changedStacksCommand,
  stackDigestCommand,
  terraformEnvironmentCommand,
  planPasswordsCommand,
  planRecordCommand,
  pointsDeltaCommand,
  reviewSummaryCommand,
  applyPreviewCommand,
  planGuardCommand,
  driftReportCommand,
];

/**
 * Runs `gitops <name> <args...>` when that is what `argv` is, else undefined. The arguments go to the command
 * untouched, so this runs before commander, which would take the program's own options (-v, -V, -h) out of
 * them wherever they stand: `terraform-environment ... terraform plan -var-file=...` starts with -v.
 */
export function runGitopsCommand(argv: readonly string[], io: CliIo): Promise<number> | undefined {
  const command = argv[0] === "gitops" ? GITOPS_COMMANDS.find((c) => c.name === argv[1]) : undefined;
  if (!command) return undefined;
  return Promise.resolve(command.run(argv.slice(2), { ...io, stdin: () => fs.readFileSync(0, "utf8") }));
}

/** `fortiflex gitops`: lists the workflows' commands; `fortiflex gitops help <name>` shows one's arguments. */
export function addGitopsCommand(program: Command): void {
  const gitops = program.command("gitops").description("the GitOps workflows' decisions (the judge): what changed, the review, the merge guard, drift");
  for (const c of GITOPS_COMMANDS)
    gitops
      .command(c.name)
      .description(c.summary)
      .usage(c.usage)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        // Only reached with a program option before `gitops`, which runGitopsCommand leaves to commander.
        throw new UsageError(`gitops ${c.name} takes no program option: run fortiflex gitops ${c.name} ${c.usage}`);
      });
}
