import * as fs from "node:fs";
import * as path from "node:path";

/**
 * `export NAME='value'` lines that a POSIX shell can `eval` or `source`: each value in single quotes, inside
 * which nothing is special, and a single quote written as '\'' (close, escaped quote, reopen).
 */
export function exportLines(vars: Readonly<Record<string, string>>): string {
  return Object.entries(vars)
    .map(([name, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a shell variable name: ${JSON.stringify(name)}`);
      return `export ${name}='${value.replace(/'/g, `'\\''`)}'\n`;
    })
    .join("");
}

/**
 * Writes `text` to `file` readable by its owner only (it holds a password), atomically: a reader sees the
 * previous file or the whole new one, never a part; the new file replaces any other at that path, whatever
 * its mode.
 */
export function writePrivateFile(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  // "wx": a file (or a planted link) already at the temporary path is refused, never written through.
  try {
    fs.writeFileSync(tmp, text, { mode: 0o600, flag: "wx" });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Removes `file` if it still holds `text`: one written since by another simulator is left alone. */
export function removeIfUnchanged(file: string, text: string): void {
  try {
    if (fs.readFileSync(file, "utf8") === text) fs.rmSync(file);
  } catch {
    // gone already, or not ours to read: nothing to remove
  }
}
