import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "../usage-error";

/**
 * `rel` inside the repository `dir`, refused when it leaves it or when a part of it that exists is a symbolic
 * link: a scaffold write through a link (a `.github` pointing elsewhere, a linked workflow) would land outside
 * the repository, or in a file nobody reviews as part of it.
 */
export function repositoryPath(dir: string, rel: string): string {
  const target = path.resolve(dir, rel);
  const inside = path.relative(dir, target);
  if (!inside || inside.startsWith("..") || path.isAbsolute(inside)) throw new UsageError(`${rel}: not a path inside ${dir}`);
  let at = dir;
  for (const part of inside.split(path.sep)) {
    at = path.join(at, part);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(at);
    } catch {
      break; // the rest does not exist yet: it is made as a plain directory or file
    }
    if (stat.isSymbolicLink())
      throw new UsageError(`${path.relative(dir, at)} is a symbolic link: fortiflex init writes only plain files and directories of the repository`);
  }
  return target;
}

/** Writes a file of the repository, making its directories; `exclusive`: never replaces one that exists. */
export function writeRepositoryFile(dir: string, rel: string, content: string, exclusive: boolean): void {
  const target = repositoryPath(dir, rel);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, content, { flag: exclusive ? "wx" : "w" });
}
