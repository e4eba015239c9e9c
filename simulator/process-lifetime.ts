/**
 * How a simulator process ends: `stop` (the HTTP server closed, its connections dropped, its files removed),
 * then exit, on SIGTERM, SIGINT or SIGHUP, and also when its parent is gone. `npm run simulator` runs it under
 * npm, which forwards SIGTERM and SIGINT to it; an npm killed with SIGKILL forwards nothing, and the orphan
 * would keep its port and its password alive. Node has no parent-death signal, so it looks at its parent
 * process id twice a second: once the parent is gone it has been re-parented.
 */
export function endOnSignalOrOrphaned(stop: () => Promise<void>, options: { watchParent: boolean }): void {
  let ending = false;
  const end = () => {
    // Ctrl-C reaches the simulator twice, from the terminal and forwarded by npm: one stop is enough.
    if (ending) return;
    ending = true;
    stop().then(
      () => process.exit(0),
      (e: Error) => {
        process.stderr.write(`fortiflex-simulator: stopping: ${e.message}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, end);
  if (!options.watchParent) return;
  const parent = process.ppid;
  // Unref'd: the watch alone never keeps the process alive.
  setInterval(() => process.ppid !== parent && end(), 500).unref();
}
