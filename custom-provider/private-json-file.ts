import * as crypto from "node:crypto";
import * as fs from "node:fs";

/**
 * A JSON file only this user can have written: opened without following links, owned by us, readable by
 * nobody else; undefined when missing or not so. (The directory's own safety is the caller's check.)
 */
export function readPrivateJson(file: string): unknown {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    const stat = fs.fstatSync(fd);
    const uid = typeof process.getuid === "function" ? process.getuid() : stat.uid;
    if (!stat.isFile() || stat.uid !== uid || (stat.mode & 0o077) !== 0) return undefined;
    return JSON.parse(fs.readFileSync(fd, "utf8")) as unknown;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Replaces `file` atomically with `value` (0600): written to a new file created here and now, then renamed. */
export function writePrivateJson(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  // Created here and now (never an existing file or link someone placed under that name).
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
  try {
    fs.writeFileSync(fd, JSON.stringify(value));
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
