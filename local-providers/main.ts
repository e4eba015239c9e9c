/**
 * Entry point of the local test providers: `node local-providers.js null|external`, started by Terraform
 * through the executables that install.ts writes into a filesystem mirror.
 */
import { externalProvider } from "./external-provider";
import { nullProvider } from "./null-provider";
import { servePlugin } from "./plugin-server";

const PROVIDERS = { null: nullProvider, external: externalProvider };

async function main(): Promise<void> {
  const name = process.argv[2] as keyof typeof PROVIDERS;
  const definition = PROVIDERS[name];
  if (!definition) throw new Error(`unknown provider "${process.argv[2] ?? ""}" (allowed: ${Object.keys(PROVIDERS).join(", ")})`);
  // Terraform sends Ctrl-C to its whole process group and then asks providers to stop over gRPC.
  process.on("SIGINT", () => undefined);
  // Started once for many terraform commands (reattach mode): leave after a quiet spell.
  const idleMs = Number(process.env.FORTIFLEX_PROVIDER_IDLE_EXIT_MS ?? 0);
  let idle: NodeJS.Timeout | undefined;
  const busy = () => {
    if (!idleMs) return;
    clearTimeout(idle);
    idle = setTimeout(() => process.exit(0), idleMs).unref();
  };
  busy();
  const plugin = await servePlugin(definition, process.env, (line) => {
    busy();
    if (!idleMs) process.stderr.write(`[DEBUG] ${line}\n`);
  });
  process.on("exit", () => plugin.close());
  process.on("SIGTERM", () => process.exit(0));
  // A terraform that was killed never asks us to shut down: leave when our parent is gone.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid === parent) return;
    definition.stop();
    process.exit(0);
  }, 500).unref();
  process.stdout.write(`${plugin.handshake}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
