/**
 * What a change touches besides customers: every file of the repository can change what runs (a tsconfig
 * path mapping, an npm setting, a script), so a review names each one that is not the customers file or
 * documentation. The pipeline's own files are named apart: the workflows and actions (.github/), which
 * GitHub runs as the merged commit has them, so they take effect at the merge, its own apply included; and
 * the GitOps scripts (gitops/, the judge), which judge only later merges (each review and apply builds its
 * judge from the base).
 *
 *   git diff --name-only -z <base>...<head> | fortiflex gitops changed-inputs [<customers file>]   -> JSON
 */
import { type GitopsCommand, usageMistake } from "./gitops-command";

export interface ChangedInputs {
  /** The customers file, when it changed. */
  readonly customers: string[];
  /** Markdown, docs/ and the licence: read by people, never by the build. */
  readonly documentation: string[];
  /** .github/: workflows, actions, code owners: in force from the merge on, its own apply included. */
  readonly workflows: string[];
  /** gitops/: the scripts that judge a change, in force for later merges. */
  readonly judge: string[];
  /** Everything else: it can change what synth writes, or what runs while it does. */
  readonly build: string[];
}

const DEFAULT_CUSTOMERS_FILE = "stacks/customers.yaml";

export function changedInputs(paths: readonly string[], customersFile = DEFAULT_CUSTOMERS_FILE): ChangedInputs {
  const result: ChangedInputs = { customers: [], documentation: [], workflows: [], judge: [], build: [] };
  for (const p of [...new Set(paths.filter(Boolean))].sort()) {
    if (p === customersFile) result.customers.push(p);
    else if (/\.md$/i.test(p) || p.startsWith("docs/") || p === "LICENSE") result.documentation.push(p);
    else if (p.startsWith(".github/")) result.workflows.push(p);
    else if (p.startsWith("gitops/")) result.judge.push(p);
    else result.build.push(p);
  }
  return result;
}

export const changedInputsCommand: GitopsCommand = {
  name: "changed-inputs",
  usage: "[<customers file>]",
  input: "git diff --name-only -z <base>...<head>",
  summary: "the files of a change that can alter what runs",
  run(args, io) {
    if (args.length > 1) {
      return usageMistake(changedInputsCommand, io);
    }
    const input = io.stdin();
    const paths = input.includes("\0") ? input.split("\0") : input.split("\n");
    io.stdout.write(`${JSON.stringify(changedInputs(paths, args[0]))}\n`);
    return 0;
  },
};
