/**
 * A stack directory's identity for the review: one SHA-256 over every file Terraform can read from it
 * (configuration, lock file, assets), so that what an apply runs is provably what a reviewer's plan ran.
 * Only what synth and the pipeline put there is accepted: a symbolic link, a Terraform working directory or
 * any other file could change what runs without changing the configuration. A file asset whose content
 * does not match the MD5 in its path (cdktf's asset hash) is refused: its path, which cdk.tf.json names,
 * would no longer say what runs.
 *
 *   fortiflex gitops stack-digest <stack dir>   -> the digest on stdout; exit 1 with the problems
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { type GitopsCommand, usageMistake } from "./gitops-command";

export interface StackDigest {
  /** Hex SHA-256 of the sorted listing "<sha256 of content> <mode> <path>\n"; empty when there are problems. */
  readonly digest: string;
  /** Paths relative to the stack directory, "/"-separated, sorted, each with its content's SHA-256. */
  readonly files: { readonly path: string; readonly sha256: string }[];
  readonly problems: string[];
}

/** The files a stack directory may hold: synth's configuration, the provider lock file, and assets. */
const ALLOWED = /^(cdk\.tf\.json|cdk\.tf|\.terraform\.lock\.hcl|assets\/.+)$/;
/** cdktf's file assets: assets/<construct id>/<MD5, upper-case hex>/<file name>. */
const FILE_ASSET = /^assets\/[^/]+\/([0-9A-F]{32})\/[^/]+$/;
/** A stack larger than this is not synth output (the handler is ~150 KB, a large stack's JSON ~1 MB). */
const MAX_BYTES = 64 * 1024 * 1024;

export function stackDigest(dir: string): StackDigest {
  const problems: string[] = [];
  const files: { path: string; sha256: string; mode: string; md5: string }[] = [];
  let total = 0;
  const walk = (rel: string) => {
    const abs = path.join(dir, rel);
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (relPath === "assets" || relPath.startsWith("assets/")) walk(relPath);
        else
          problems.push(
            `${relPath}/: a directory synth does not write${relPath === ".terraform" ? " (a Terraform working directory: digest a fresh synth output)" : ""}`,
          );
        continue;
      }
      if (!entry.isFile()) {
        problems.push(`${relPath}: ${entry.isSymbolicLink() ? "a symbolic link" : "not a regular file"}; only regular files are accepted`);
        continue;
      }
      if (!ALLOWED.test(relPath)) {
        problems.push(`${relPath}: a file synth does not write (allowed: cdk.tf.json or cdk.tf, .terraform.lock.hcl, assets/)`);
        continue;
      }
      const stat = fs.statSync(path.join(abs, entry.name));
      total += stat.size;
      if (total > MAX_BYTES) {
        problems.push(`more than ${MAX_BYTES / 1024 / 1024} MiB of files: not a synthesized stack`);
        return;
      }
      const content = fs.readFileSync(path.join(abs, entry.name));
      const md5 = crypto.createHash("md5").update(content).digest("hex").toUpperCase();
      files.push({ path: relPath, sha256: crypto.createHash("sha256").update(content).digest("hex"), mode: stat.mode & 0o111 ? "755" : "644", md5 });
    }
  };
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return { digest: "", files: [], problems: [`${dir}: not a directory`] };
  walk("");
  if (!files.some((f) => f.path === "cdk.tf.json" || f.path === "cdk.tf")) problems.push("no cdk.tf.json or cdk.tf: not a synthesized stack");
  for (const f of files) {
    const expected = FILE_ASSET.exec(f.path)?.[1];
    const siblings = expected ? files.filter((g) => g.path.startsWith(f.path.slice(0, f.path.lastIndexOf("/") + 1))).length : 0;
    // A hash directory with one file is a file asset; a directory asset's hash covers several files.
    if (expected && siblings === 1 && expected !== f.md5)
      problems.push(`${f.path}: its content's MD5 is ${f.md5}, not the ${expected} its path (and so cdk.tf.json) names`);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (problems.length) return { digest: "", files: files.map(({ path: p, sha256 }) => ({ path: p, sha256 })), problems };
  const listing = files.map((f) => `${f.sha256} ${f.mode} ${f.path}\n`).join("");
  return { digest: crypto.createHash("sha256").update(listing).digest("hex"), files: files.map(({ path: p, sha256 }) => ({ path: p, sha256 })), problems };
}

export const stackDigestCommand: GitopsCommand = {
  name: "stack-digest",
  usage: "<stack dir>",
  summary: "a stack directory's SHA-256, refusing stray files",
  run(args, io) {
    if (args.length !== 1) {
      return usageMistake(stackDigestCommand, io);
    }
    const result = stackDigest(args[0]);
    if (result.problems.length) {
      io.stderr.write(`stack-digest: ${args[0]}: refused:\n${result.problems.map((p) => `  - ${p}`).join("\n")}\n`);
      return 1;
    }
    io.stdout.write(`${result.digest}\n`);
    return 0;
  },
};
