import * as fs from "node:fs";
import * as path from "node:path";
import { ENV } from "../contract/endpoints";

/** Creates `dir` (0700) or checks the one there; throws when it is not safe to use (see isPrivateDirectory). */
export function ensurePrivateDirectory(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  isPrivateDirectory(dir);
}

/**
 * False when the directory does not exist yet. Throws when it exists but another local user could have
 * planted a file in it (another owner, writable by others, or a symbolic link, here or above): acting on a
 * planted token or record would act as another tenant.
 */
export function isPrivateDirectory(dir: string): boolean {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(dir);
  } catch {
    return false;
  }
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  const problem = stat.isSymbolicLink()
    ? "is a symbolic link"
    : !stat.isDirectory()
      ? "is not a directory"
      : uid !== undefined && stat.uid !== uid
        ? `belongs to uid ${stat.uid}, not to you (uid ${uid})`
        : (stat.mode & 0o022) !== 0
          ? `can be written by other users (mode ${(stat.mode & 0o777).toString(8)})`
          : undefined;
  if (problem) {
    throw new Error(`the token cache directory ${dir} ${problem}; remove it, or set ${ENV.tokenCacheDir} to a directory only you can write (mode 700)`);
  }
  // Every directory above it too: whoever can rename an ancestor can swap the whole cache (as ssh checks).
  for (let up = path.dirname(fs.realpathSync(dir)); ; up = path.dirname(up)) {
    const s = fs.statSync(up);
    const othersWrite = (s.mode & 0o022) !== 0 && (s.mode & 0o1000) === 0;
    if ((uid !== undefined && s.uid !== 0 && s.uid !== uid) || othersWrite) {
      const why = othersWrite ? `other users can write (mode ${(s.mode & 0o7777).toString(8)}, not sticky)` : `belongs to uid ${s.uid}`;
      throw new Error(
        `the token cache directory ${dir} lies under ${up}, which ${why}; set ${ENV.tokenCacheDir} to a directory in a tree only you and root control`,
      );
    }
    if (path.dirname(up) === up) break;
  }
  return true;
}
