/** What a GitOps command talks to: the CLI's streams and environment, and its standard input when it reads one. */
export interface GitopsIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  /** All of standard input (a pipe: `git diff ... |`, `terraform show -json |`), read only by the commands that take one. */
  readonly stdin: () => string;
}

/**
 * A script the GitOps workflows run, as `fortiflex gitops <name> <args...>`: its arguments, output and exit
 * status are the workflows' interface, so `run` gets the arguments exactly as given and answers every usage
 * mistake itself (its own usage line, status 2).
 */
export interface GitopsCommand {
  readonly name: string;
  /** The arguments: `fortiflex gitops help <name>` and a usage mistake show them. */
  readonly usage: string;
  /** What feeds its standard input, shown before it in its usage line (`terraform show -json | ...`). */
  readonly input?: string;
  /** What it decides, for the one line of `fortiflex gitops --help`. */
  readonly summary: string;
  readonly run: (args: readonly string[], io: GitopsIo) => number | Promise<number>;
}

/** A usage mistake: the command's usage line on standard error, and exit status 2. */
export function usageMistake(command: GitopsCommand, io: Pick<GitopsIo, "stderr">): 2 {
  io.stderr.write(`usage: ${command.input ? `${command.input} | ` : ""}${command.name} ${command.usage}\n`);
  return 2;
}

/** `--name value` pairs, or undefined when an argument is not one of `known` or lacks its value. */
export function optionsOf(args: readonly string[], known: readonly string[]): Map<string, string> | undefined {
  if (args.length % 2) return undefined;
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    if (!known.includes(args[i]) || options.has(args[i])) return undefined;
    options.set(args[i], args[i + 1]);
  }
  return options;
}
