import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repositoryPath, writeRepositoryFile } from "./repository-path";

/**
 * What `fortiflex init` wrote, kept in the fleet repository (`.fortiflex/scaffold/`: each file as the scaffold
 * wrote it, and scaffold.json: which release and options): an upgrade compares the user's file, the old
 * scaffold's and the new one's, and so tells the user's edits from the release's changes.
 */
export const SCAFFOLD_DIR = path.join(".fortiflex", "scaffold");
export const SCAFFOLD_RECORD = path.join(".fortiflex", "scaffold.json");

export interface ScaffoldRecord {
  readonly version: string;
  readonly framework: string;
  readonly owner: string;
  readonly files: readonly string[];
}

/** What an upgrade does to one file. */
export type FileAction =
  | "add" // new in this release, not in the repository
  | "update" // the user never edited it: the new scaffold's
  | "merge" // both changed it, in different places: the user's edits kept, the release's applied
  | "conflict" // both changed the same lines: left as it is, the new scaffold written beside it
  | "keep" // only the user changed it
  | "removed" // the user deleted it: not restored
  | "unchanged";

export interface FilePlan {
  readonly file: string;
  readonly action: FileAction;
  /** The content to write for add, update and merge. */
  readonly content?: string;
}

export function readRecord(dir: string): ScaffoldRecord | undefined {
  const file = path.join(dir, SCAFFOLD_RECORD);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, "utf8")) as ScaffoldRecord;
}

/** Records what the scaffold wrote (its own content, whatever the repository holds). */
export function writeRecord(dir: string, record: ScaffoldRecord, files: ReadonlyMap<string, string>): void {
  fs.rmSync(repositoryPath(dir, SCAFFOLD_DIR), { recursive: true, force: true });
  for (const [rel, content] of files) writeRepositoryFile(dir, path.join(SCAFFOLD_DIR, rel), content, true);
  writeRepositoryFile(dir, SCAFFOLD_RECORD, `${JSON.stringify(record, null, 2)}\n`, false);
}

/** Each file's action, comparing the repository, the recorded scaffold and the new one. */
export function planUpgrade(dir: string, next: ReadonlyMap<string, string>): FilePlan[] {
  const read = (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, "utf8") : undefined);
  return [...next].map(([file, theirs]): FilePlan => {
    const ours = read(path.join(dir, file));
    const base = read(path.join(dir, SCAFFOLD_DIR, file));
    if (ours === undefined) return base === undefined ? { file, action: "add", content: theirs } : { file, action: "removed" };
    if (ours === theirs) return { file, action: "unchanged" };
    if (base === undefined || base === theirs) return { file, action: base === undefined ? "conflict" : "keep" };
    if (ours === base) return { file, action: "update", content: theirs };
    const merged = mergeThreeWay(ours, base, theirs);
    return merged === undefined ? { file, action: "conflict" } : { file, action: "merge", content: merged };
  });
}

/**
 * The user's edits (base -> ours) and the release's (base -> theirs) together, or undefined when they touch
 * the same lines (or git, which merges, is missing).
 */
function mergeThreeWay(ours: string, base: string, theirs: string): string | undefined {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fortiflex-merge-"));
  try {
    const files = { ours, base, theirs };
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(tmp, name), text);
    const res = spawnSync("git", ["merge-file", "-p", "ours", "base", "theirs"], { cwd: tmp, encoding: "utf8" });
    return res.status === 0 ? res.stdout : undefined;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** A unified diff of two texts (git's), for showing what an upgrade would change; empty without git. */
export function unifiedDiff(file: string, before: string, after: string): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fortiflex-diff-"));
  try {
    fs.mkdirSync(path.join(tmp, "a", path.dirname(file)), { recursive: true });
    fs.mkdirSync(path.join(tmp, "b", path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.join(tmp, "a", file), before);
    fs.writeFileSync(path.join(tmp, "b", file), after);
    const res = spawnSync("git", ["diff", "--no-index", "--no-color", "--", path.join("a", file), path.join("b", file)], { cwd: tmp, encoding: "utf8" });
    return res.stdout ?? "";
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
