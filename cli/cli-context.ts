import { ENV, nonFortinetHostProblem } from "../contract/endpoints";
import { FortiFlexClient, type FortiFlexClientOptions, type RequestEvent } from "../custom-provider/fortiflex-client";
import { endpointsFromEnv } from "../custom-provider/settings";
import type { FleetFiles } from "./fleet-loader";
import { UsageError } from "./usage-error";

/** What the CLI talks to: streams, a yes/no prompt, the environment and a clock. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** Asks a yes/no question; undefined when there is no terminal to ask on. */
  readonly confirm?: (question: string) => Promise<boolean>;
  readonly today?: () => string;
  /** The fleet layer that reads customers files (doctor): the installed library's, or this repository's sources. */
  readonly fleet?: () => Promise<FleetFiles>;
}

/** The program-wide flags, known once commander has parsed them (before a command's action runs). */
export interface GlobalFlags {
  verbose: boolean;
  allowNonFortinetHost: boolean;
}

/** What every command's action uses: output, the io it runs with, and an API client built from the flags (`extra` for `doctor`'s hooks). */
export interface CliContext {
  readonly io: CliIo;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly client: (extra?: Pick<FortiFlexClientOptions, "onAnswer">) => FortiFlexClient;
}

export function cliContext(io: CliIo, flags: GlobalFlags): CliContext {
  const out = (text: string) => void io.stdout.write(text);
  const err = (text: string) => void io.stderr.write(text);
  return { io, out, err, client: (extra = {}) => apiClient(io.env, flags, err, extra) };
}

function apiClient(env: NodeJS.ProcessEnv, flags: GlobalFlags, err: (text: string) => void, extra: Pick<FortiFlexClientOptions, "onAnswer">): FortiFlexClient {
  const created = FortiFlexClient.fromEnv(env, {
    ...extra,
    allowNonFortinetHost: flags.allowNonFortinetHost,
    ...(flags.verbose ? { onEvent: (e: RequestEvent) => err(describeEvent(e)) } : {}),
  });
  // Refused before anything is sent; the client refuses too, this says which variable and which flag.
  const endpoints = endpointsFromEnv(env);
  for (const [which, name, url] of [
    ["api", ENV.apiUrl, endpoints.apiUrl],
    ["auth", ENV.authUrl, endpoints.authUrl],
  ] as const) {
    const host = flags.allowNonFortinetHost ? undefined : nonFortinetHostProblem(which, url);
    if (host)
      throw new UsageError(
        `${name} is ${JSON.stringify(url.slice(0, 200))}: ${host}; the FortiFlex credentials are sent there only with --allow-non-fortinet-host`,
      );
  }
  return created;
}

function describeEvent(e: RequestEvent): string {
  const status = e.httpStatus ? ` HTTP ${e.httpStatus}` : "";
  const detail = e.detail ? ` (${e.detail})` : "";
  return `  ${e.operation} attempt ${e.attempt}: ${e.outcome}${status} in ${e.durationMs} ms${detail}\n`;
}
