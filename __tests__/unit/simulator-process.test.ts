import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
/** The process groups started here (each npm run leads its own). */
const groups: number[] = [];

/** Processes of a process group that still run (a zombie has ended: only its exit status is left). */
function liveInGroup(pgid: number): string[] {
  return fs.readdirSync("/proc").flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      return []; // ended while we looked
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so read after the last ")".
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(pgrp) === pgid && state !== "Z" ? [`${entry} ${stat.slice(0, stat.lastIndexOf(")") + 1)}`] : [];
  });
}

/**
 * `npm run simulator` as the docs show it, in a process group of its own: the pid the shell gets is npm's, the
 * simulator is npm's child. `closed` settles once npm has exited and every holder of its output pipes (the
 * simulator, which inherits them) has closed them: the event that says the simulator has ended.
 */
function npmRunSimulator(args: string[] = []) {
  const npm = spawn("npm", ["run", "--silent", "simulator", "--", ...args], { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  groups.push(npm.pid!);
  let err = "";
  npm.stderr.on("data", (d) => (err += d));
  const info = new Promise<{ pid: number; apiUrl: string }>((resolve, reject) => {
    let out = "";
    npm.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0]));
    });
    npm.on("exit", (code) => reject(new Error(`npm exited with ${code} before the simulator printed: ${err}`)));
  });
  const closed = new Promise<void>((resolve) => npm.on("close", () => resolve()));
  return { npm, info, closed };
}

/** Stopping the simulator by the pid `npm run simulator &` gives leaves no process behind. */
describe("simulator process", () => {
  // A failing test must not leave its simulator running: whatever is left of each group goes at the end.
  afterAll(() => {
    for (const group of groups) {
      try {
        process.kill(-group, "SIGKILL");
      } catch {
        // nothing left
      }
    }
  });

  test.each(["SIGTERM", "SIGKILL"] as const)("kill -%s of npm's pid ends the simulator too", async (signal) => {
    const run = npmRunSimulator();
    const { pid } = await run.info;
    const group = run.npm.pid!;
    expect(liveInGroup(group).length).toBeGreaterThanOrEqual(2); // npm and the simulator
    expect(pid).not.toBe(group);
    process.kill(group, signal);
    await run.closed;
    expect(liveInGroup(group)).toEqual([]);
  });

  test.each(["SIGTERM", "SIGINT"] as const)("%s to the simulator itself stops it cleanly", async (signal) => {
    const run = npmRunSimulator();
    const { pid, apiUrl } = await run.info;
    expect((await fetch(`${new URL(apiUrl).origin}/__simulator/requests`)).status).toBe(200);
    const npmExit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => run.npm.on("exit", (code, sig) => resolve([code, sig])));
    process.kill(pid, signal);
    await run.closed;
    // npm reports the child's clean exit as its own.
    expect(await npmExit).toEqual([0, null]);
    expect(liveInGroup(run.npm.pid!)).toEqual([]);
  });
});
