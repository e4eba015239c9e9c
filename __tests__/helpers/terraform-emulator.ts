import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Runs the commands and programs of a synthesized `cdk.tf.json` the way Terraform would, for the subset
 * this library emits (null_resource / terraform_data with local-exec provisioners and triggers, external
 * data sources, count from a data source): plan-time data reads, replacement on trigger change, destroy
 * provisioners with the old `self`, creates in dependency order, then apply-time data reads. Used where
 * real Terraform cannot run (providers cannot be downloaded here).
 */

interface Provisioner { "local-exec": { command: string; interpreter: string[]; environment?: Record<string, string>; when?: string } }
interface ResourceBlock { triggers?: Record<string, string>; triggers_replace?: Record<string, string>; provisioner?: Provisioner[]; depends_on?: string[]; count?: string }
interface DataBlock { program: string[]; query?: Record<string, string>; depends_on?: string[] }
interface Instance { id: string; triggers: Record<string, string>; block: ResourceBlock }

export interface ExecRecord { address: string; command: string; exitCode: number; stdout: string; stderr: string }
export interface ApplyReport { created: string[]; replaced: string[]; destroyed: string[]; execs: ExecRecord[] }

const UNKNOWN = "\u0000unknown";

export class TerraformEmulator {
  readonly state = new Map<string, Instance>();
  readonly execs: ExecRecord[] = [];
  private readonly config: { resource?: Record<string, Record<string, ResourceBlock>>; data?: { external?: Record<string, DataBlock> } };

  constructor(readonly stackDir: string, private readonly env: Record<string, string>, private readonly hooks: { timeoutMs?: number } = {}) {
    this.config = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  }

  private resources(): [string, ResourceBlock][] {
    const all: [string, ResourceBlock][] = [];
    for (const [type, blocks] of Object.entries(this.config.resource ?? {})) {
      if (type !== "null_resource" && type !== "terraform_data") throw new Error(`emulator does not handle ${type}`);
      for (const [name, block] of Object.entries(blocks)) all.push([`${type}.${name}`, block]);
    }
    return topological(all);
  }

  /** `terraform apply`: returns what it did. Throws when a provisioner fails (like Terraform). */
  async apply(): Promise<ApplyReport> {
    const report: ApplyReport = { created: [], replaced: [], destroyed: [], execs: [] };
    const planData = new Map<string, Record<string, string>>();
    for (const [name, block] of Object.entries(this.config.data?.external ?? {})) {
      if (!block.depends_on?.length) planData.set(name, await this.readData(name));
    }
    const changing = new Set<string>();
    const desired = new Map<string, Record<string, string> | undefined>();
    for (const [address, block] of this.resources()) {
      const count = block.count === undefined ? 1 : evalCount(block.count, planData);
      const triggers = count ? resolveMap(block.triggers ?? block.triggers_replace ?? {}, (ref) => this.reference(ref, planData, changing)) : undefined;
      desired.set(address, triggers);
      const current = this.state.get(address);
      if (!triggers) {
        if (current) changing.add(address);
      } else if (!current || Object.values(triggers).includes(UNKNOWN) || !sameMap(current.triggers, triggers)) {
        changing.add(address);
      }
    }
    const order = this.resources();
    for (const [address] of [...order].reverse()) {
      const current = this.state.get(address);
      if (!changing.has(address) || !current) continue;
      await this.runProvisioners(address, current, "destroy", report);
      this.state.delete(address);
      (desired.get(address) ? report.replaced : report.destroyed).push(address);
    }
    for (const [address, block] of order) {
      if (!changing.has(address) || !desired.get(address)) continue;
      const triggers = resolveMap(block.triggers ?? block.triggers_replace ?? {}, (ref) => this.reference(ref, planData, new Set()));
      const instance: Instance = { id: crypto.randomUUID(), triggers, block };
      await this.runProvisioners(address, instance, "create", report);
      this.state.set(address, instance);
      if (!report.replaced.includes(address)) report.created.push(address);
    }
    return report;
  }

  /** `terraform destroy`. */
  async destroy(): Promise<ApplyReport> {
    const report: ApplyReport = { created: [], replaced: [], destroyed: [], execs: [] };
    for (const [address] of [...this.resources()].reverse()) {
      const current = this.state.get(address);
      if (!current) continue;
      await this.runProvisioners(address, current, "destroy", report);
      this.state.delete(address);
      report.destroyed.push(address);
    }
    return report;
  }

  /** Runs an external data source's program and returns its result. */
  async readData(name: string): Promise<Record<string, string>> {
    const block = this.config.data?.external?.[name];
    if (!block) throw new Error(`no data.external.${name}`);
    const [cmd, ...args] = block.program.map((a) => a.replace("${path.module}", "."));
    const res = await run(cmd, args, this.stackDir, this.env, JSON.stringify(block.query ?? {}), this.hooks.timeoutMs);
    this.execs.push({ address: `data.external.${name}`, command: args[args.length - 1], ...res });
    if (res.exitCode !== 0) throw new Error(`data.external.${name}: ${res.stderr.trim()}`);
    return JSON.parse(res.stdout);
  }

  /** The name of the external data source whose construct path ends with `suffix`. */
  dataName(pathSuffix: string): string {
    const found = Object.entries(this.config.data?.external ?? {}).find(([, b]) => ((b as unknown as { "//": { metadata: { path: string } } })["//"].metadata.path).endsWith(pathSuffix));
    if (!found) throw new Error(`no external data source at ${pathSuffix}`);
    return found[0];
  }

  private reference(ref: string, data: Map<string, Record<string, string>>, changing: Set<string>): string {
    let m = /^(null_resource|terraform_data)\.([\w]+)\.id$/.exec(ref);
    if (m) {
      const address = `${m[1]}.${m[2]}`;
      return changing.has(address) || !this.state.has(address) ? UNKNOWN : this.state.get(address)!.id;
    }
    m = /^data\.external\.(\w+)\.result\["(\w+)"\]$/.exec(ref);
    if (m) return data.get(m[1])?.[m[2]] ?? UNKNOWN;
    throw new Error(`emulator cannot resolve \${${ref}}`);
  }

  private async runProvisioners(address: string, instance: Instance, when: "create" | "destroy", report: ApplyReport): Promise<void> {
    for (const p of instance.block.provisioner ?? []) {
      const le = p["local-exec"];
      if ((le.when ?? "create") !== when) continue;
      const selfKey = address.startsWith("null_resource.") ? "self.triggers" : "self.triggers_replace";
      const env = Object.fromEntries(
        Object.entries(le.environment ?? {}).map(([k, v]) => [k, v === `\${jsonencode(${selfKey})}` ? JSON.stringify(instance.triggers) : v]),
      );
      for (const v of Object.values(env)) if (v.includes("${")) throw new Error(`${address}: unresolved expression in ${v}`);
      const [cmd, ...args] = le.interpreter.map((a) => a.replace("${path.module}", "."));
      const res = await run(cmd, [...args, le.command], this.stackDir, { ...this.env, ...env }, undefined, this.hooks.timeoutMs);
      const record = { address, command: le.command, ...res };
      this.execs.push(record);
      report.execs.push(record);
      if (res.exitCode !== 0) throw new Error(`${address} (${le.command}) failed: ${res.stderr.trim()}`);
    }
  }
}

function resolveMap(map: Record<string, string>, resolve: (ref: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v.replace(/\$\{([^}]+)\}/g, (_, ref: string) => resolve(ref))]));
}

function evalCount(expr: string, data: Map<string, Record<string, string>>): number {
  const m = /^\$\{\(data\.external\.(\w+)\.result\["(\w+)"\] == "(\w*)"\) \? (\d+) : (\d+)\}$/.exec(expr);
  if (!m) throw new Error(`emulator cannot evaluate count ${expr}`);
  return data.get(m[1])?.[m[2]] === m[3] ? Number(m[4]) : Number(m[5]);
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).sort();
  return JSON.stringify(ka) === JSON.stringify(Object.keys(b).sort()) && ka.every((k) => a[k] === b[k]);
}

/** Orders resources so that every resource comes after what it depends on or references. */
function topological(items: [string, ResourceBlock][]): [string, ResourceBlock][] {
  const byAddress = new Map(items);
  const deps = (block: ResourceBlock) => {
    const refs = [...JSON.stringify(block.triggers ?? block.triggers_replace ?? {}).matchAll(/(null_resource|terraform_data)\.(\w+)\.id/g)].map((m) => `${m[1]}.${m[2]}`);
    return [...(block.depends_on ?? []), ...refs].filter((d) => byAddress.has(d));
  };
  const out: [string, ResourceBlock][] = [];
  const seen = new Set<string>();
  const visit = (address: string) => {
    if (seen.has(address)) return;
    seen.add(address);
    for (const d of deps(byAddress.get(address)!)) visit(d);
    out.push([address, byAddress.get(address)!]);
  };
  for (const [address] of items) visit(address);
  return out;
}

export function run(cmd: string, args: string[], cwd: string, env: Record<string, string>, stdin?: string, timeoutMs = 30_000): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? -1, stdout, stderr });
    });
    child.stdin.end(stdin ?? "");
  });
}
