/**
 * References between customer stacks: every Azure resource id written into a stack's cdk.tf.json that lies in
 * another stack's resource group, or, when its own provider is in another subscription, anywhere in another
 * stack's subscription. The review summary names them, so that a reviewer sees one customer's FortiGate placed
 * in another customer's network (the customers file refuses that unless the entry says so; this is what the
 * synthesized stacks hold). A stack owns the resource groups it declares (`azurerm_resource_group` names, in
 * the subscription of their `azurerm` provider block) and its default provider's subscription; a stack with
 * neither owns nothing.
 *
 * The files come from a pull request: they are read as data (nothing is evaluated), capped in size, and a stack
 * that cannot be read is listed as unchecked rather than left out. Ids built by Terraform expressions at plan
 * time are not seen.
 *
 *   fortiflex gitops cross-references <cdktf.out>
 *     -> JSON on stdout: [{ stack, references: [{ otherStack, id, where }], omitted?, unchecked? }], [] when none
 *   exit 2: bad usage
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type GitopsCommand, usageMistake } from "./gitops-command";

export interface CrossReference {
  /** The stack whose resource group or subscription the id lies in. */
  readonly otherStack: string;
  /** As written in the stack (at most MAX_SHOWN characters). */
  readonly id: string;
  /** "<resource type>.<name>.<attribute path>"; ids outside resources keep their section ("data.", "output.", "provider."). */
  readonly where: string;
}

export interface StackCrossReferences {
  readonly stack: string;
  readonly references: CrossReference[];
  /** How many references past MAX_REFERENCES were found but not listed. */
  readonly omitted?: number;
  /** Why the stack's cdk.tf.json was not read: its references are unknown. */
  readonly unchecked?: string;
}

/** A customer's cdk.tf.json is tens of kilobytes; anything near this is not one. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
const MAX_REFERENCES = 100;
const MAX_SHOWN = 300;

/**
 * An Azure resource id inside any text: the subscription, the resource group when there is one, and the rest
 * of the path. Names in Azure's characters only, so that what follows an id (quotes, spaces, `${`) is left out;
 * a resource group written as an expression leaves the id at its subscription.
 */
const GUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
/** The characters of a resource group name; a path segment after it may also hold `~:@+=`. */
const NAME_CHARS = String.raw`-\w.()\p{L}\p{N}`;
const AZURE_ID = new RegExp(String.raw`\/subscriptions\/(${GUID_PATTERN})(?:\/resourceGroups\/([${NAME_CHARS}]{1,90}))?(?:\/[${NAME_CHARS}~:@+=]+)*`, "giu");
const GUID = new RegExp(`^${GUID_PATTERN}$`, "i");
const GROUP_NAME = new RegExp(`^[${NAME_CHARS}]{1,90}$`, "u");

/** Azure compares subscriptions and resource group names without regard to case; a group name never ends with ".". */
const groupKey = (subscription: string, group: string) => `${subscription}/${group.replace(/\.+$/, "")}`.toLowerCase();

export function crossReferences(out: string): StackCrossReferences[] {
  const stacks = stackFiles(out);
  const unchecked = new Map<string, string>();
  const owners = new Map<string, { subscription?: string; groups: string[] }>();
  for (const { stack, file, problem } of stacks) {
    try {
      if (problem) throw new Error(problem);
      owners.set(stack, ownedBy(readText(file)));
    } catch (e) {
      unchecked.set(stack, (e as Error).message);
    }
  }
  const groupOwners = new Map<string, string[]>();
  const subscriptionOwners = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, stack: string) => map.set(key, [...(map.get(key) ?? []), stack]);
  for (const [stack, owner] of owners) {
    for (const group of owner.groups) add(groupOwners, group, stack);
    if (owner.subscription) add(subscriptionOwners, owner.subscription, stack);
  }
  const result: StackCrossReferences[] = [];
  for (const { stack, file } of stacks) {
    const own = owners.get(stack);
    if (!own) {
      result.push({ stack, references: [], unchecked: unchecked.get(stack) });
      continue;
    }
    const references: CrossReference[] = [];
    let found = 0;
    try {
      scanStrings(readText(file), (at, value) => {
        for (const id of idsIn(at, value)) {
          const inGroup = id.group === undefined ? [] : (groupOwners.get(groupKey(id.subscription, id.group)) ?? []);
          const inSubscription = id.subscription !== own.subscription ? (subscriptionOwners.get(id.subscription) ?? []) : [];
          for (const otherStack of (inGroup.length ? inGroup : inSubscription).filter((s) => s !== stack)) {
            if (++found <= MAX_REFERENCES) references.push({ otherStack, id: shorten(id.text, MAX_SHOWN), where: whereOf(at) });
          }
        }
      });
    } catch (e) {
      // Read before, so it changed in between.
      result.push({ stack, references: [], unchecked: (e as Error).message });
      continue;
    }
    if (found) result.push({ stack, references, ...(found > MAX_REFERENCES ? { omitted: found - MAX_REFERENCES } : {}) });
  }
  return result;
}

/**
 * The Azure ids in a string value (subscriptions lower-cased for comparison). An `azurerm` provider block's
 * subscription_id counts as one: a second provider block in another customer's subscription is a reference to it.
 */
function idsIn(at: readonly (string | number)[], value: string): { text: string; subscription: string; group?: string }[] {
  if (providerField(at) === "subscription_id") return GUID.test(value) ? [{ text: value, subscription: value.toLowerCase() }] : [];
  return [...value.matchAll(AZURE_ID)].map((m) => ({ text: m[0], subscription: m[1].toLowerCase(), group: m[2] }));
}

/**
 * Paths longer than this are no provider or resource group attribute, even in HCL's array-of-bodies form; the
 * checks below skip them unread, so that a deeply nested file costs no more per value than a flat one.
 */
const MAX_BLOCK_PATH = 8;

/** "alias" or "subscription_id" when the path is that attribute of an `azurerm` provider block. */
function providerField(at: readonly (string | number)[]): string | undefined {
  if (at.length > MAX_BLOCK_PATH) return undefined;
  const keys = at.filter((s) => typeof s === "string");
  return keys.length === 3 && keys[0] === "provider" && keys[1] === "azurerm" && (keys[2] === "alias" || keys[2] === "subscription_id") ? keys[2] : undefined;
}

/**
 * What a stack owns: its default `azurerm` provider's subscription and the resource groups it declares, each in
 * the subscription of the provider block it names.
 */
function ownedBy(text: string): { subscription?: string; groups: string[] } {
  const providers = new Map<string, { alias?: string; subscription_id?: string }>();
  const groups = new Map<string, { name?: string; provider?: string }>();
  scanStrings(text, (at, value) => {
    if (at.length > MAX_BLOCK_PATH) return;
    const keys = at.filter((s) => typeof s === "string");
    const block = JSON.stringify(at.slice(0, -1));
    const field = keys.at(-1);
    const provider = providerField(at);
    if (provider) providers.set(block, { ...providers.get(block), [provider]: value });
    if (keys.length === 4 && keys[0] === "resource" && keys[1] === "azurerm_resource_group" && (field === "name" || field === "provider")) {
      groups.set(block, { ...groups.get(block), [field]: value });
    }
  });
  const subscriptionOf = (alias?: string) => {
    const id = [...providers.values()].find((p) => p.alias === alias)?.subscription_id;
    return id !== undefined && GUID.test(id) ? id.toLowerCase() : undefined;
  };
  const subscription = subscriptionOf(undefined);
  const owned: string[] = [];
  for (const g of groups.values()) {
    const alias = /^azurerm\.(.+)$/.exec(g.provider ?? "")?.[1];
    const inSubscription = g.provider === undefined || g.provider === "azurerm" ? subscription : alias && subscriptionOf(alias);
    if (inSubscription && g.name !== undefined && GROUP_NAME.test(g.name)) owned.push(groupKey(inSubscription, g.name));
  }
  return { subscription, groups: owned };
}

/**
 * Calls `visit` with the path and value of every string value of a JSON text, those of repeated keys included:
 * Terraform reads every definition of a repeated property (HCL's JSON syntax keeps them all) where JSON.parse
 * keeps only the last, so an id could hide in an earlier one. Iterative, so that deep nesting cannot exhaust the
 * call stack. Throws on text that is not JSON, naming the position only (never the text).
 */
function scanStrings(text: string, visit: (at: readonly (string | number)[], value: string) => void): void {
  new StringScanner(text, visit).scan();
}

/** A JSON number, true, false or null, matched where the scanner stands (sticky). */
const SCALAR = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/** The state of scanStrings: where it is in the text, the path to the value there, and the containers open around it. */
class StringScanner {
  private i = 0;
  private readonly at: (string | number)[] = [];
  /** The closing character of each open container, innermost last. */
  private readonly closers: string[] = [];

  constructor(
    private readonly text: string,
    private readonly visit: (at: readonly (string | number)[], value: string) => void,
  ) {}

  scan(): void {
    for (let expectValue = true; ;) {
      this.space();
      if (expectValue) expectValue = this.value();
      else if (this.closers.length) expectValue = this.next();
      else {
        if (this.i < this.text.length) this.fail("text after the end");
        return;
      }
    }
  }

  /**
   * Reads a value: a whole string (visited) or scalar, an empty container, or the opening of a container up to
   * its first member's key. Returns whether a value comes next (that member's).
   */
  private value(): boolean {
    const c = this.text[this.i];
    if (c === "{" || c === "[") {
      this.i++;
      this.space();
      const closer = c === "{" ? "}" : "]";
      if (this.text[this.i] === closer) {
        this.i++;
        return false;
      }
      this.closers.push(closer);
      this.at.push(closer === "]" ? 0 : this.key());
      return true;
    }
    if (c === '"') this.visit(this.at, this.string());
    else this.scalar();
    return false;
  }

  /** After a member of the innermost container: a comma and the next member's key (true: its value comes next), or the container's end. */
  private next(): boolean {
    const closer = this.closers.at(-1)!;
    if (this.text[this.i] === ",") {
      this.i++;
      const last = this.at.length - 1;
      this.at[last] = closer === "]" ? (this.at[last] as number) + 1 : this.key();
      return true;
    }
    if (this.text[this.i] !== closer) this.fail(`a missing "," or "${closer}"`);
    this.i++;
    this.closers.pop();
    this.at.pop();
    return false;
  }

  private fail(what: string): never {
    throw new Error(`not JSON (${what} at character ${this.i})`);
  }

  private space(): void {
    const text = this.text;
    while (text[this.i] === " " || text[this.i] === "\t" || text[this.i] === "\n" || text[this.i] === "\r") this.i++;
  }

  private string(): string {
    let j = this.i + 1;
    for (let c = this.text.charCodeAt(j); c !== 0x22; c = this.text.charCodeAt(j)) {
      if (!(c >= 0x20)) this.fail("an unterminated string"); // a control character or the end (NaN)
      j += c === 0x5c ? 2 : 1; // the escape itself is checked by JSON.parse below
    }
    const literal = this.text.slice(this.i, j + 1);
    this.i = j + 1;
    try {
      return JSON.parse(literal) as string;
    } catch {
      return this.fail("a bad escape in a string");
    }
  }

  private key(): string {
    this.space();
    if (this.text[this.i] !== '"') this.fail("a missing key");
    const k = this.string();
    this.space();
    if (this.text[this.i++] !== ":") this.fail('a missing ":"');
    return k;
  }

  private scalar(): void {
    SCALAR.lastIndex = this.i;
    if (!SCALAR.test(this.text)) this.fail("an unexpected character");
    this.i = SCALAR.lastIndex;
  }
}

/** `azurerm_network_interface.Nic.ip_configuration[0].subnet_id`: Terraform's address of the attribute, shortened. */
function whereOf(at: readonly (string | number)[]): string {
  let text = "";
  for (let i = at[0] === "resource" && typeof at[1] === "string" ? 1 : 0; i < at.length && text.length <= MAX_SHOWN; i++) {
    const p = at[i];
    text += typeof p === "number" ? `[${p}]` : /^[A-Za-z_][\w-]*$/.test(p) ? `${text ? "." : ""}${p}` : `[${JSON.stringify(shorten(p, 60))}]`;
  }
  return shorten(text, MAX_SHOWN);
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}...`;
}

/** The stack directories of a synth output in name order, each with its cdk.tf.json or why it cannot be read. */
function stackFiles(out: string): { stack: string; file: string; problem?: string }[] {
  const dir = path.join(out, "stacks");
  if (!fs.existsSync(dir)) return [];
  const stacks: { stack: string; file: string; problem?: string }[] = [];
  for (const stack of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, stack, "cdk.tf.json");
    const kind = lstatOf(path.join(dir, stack));
    if (kind?.isSymbolicLink()) stacks.push({ stack, file, problem: "the stack directory is a symbolic link; only plain directories are read" });
    else if (kind?.isDirectory()) {
      const json = lstatOf(file);
      if (json) stacks.push({ stack, file, problem: json.isFile() ? undefined : "cdk.tf.json is not a plain file (a link, directory or device)" });
      else if (lstatOf(path.join(dir, stack, "cdk.tf")))
        stacks.push({ stack, file, problem: "only cdk.tf (HCL) was synthesized; cross-references reads cdk.tf.json" });
    }
  }
  return stacks;
}

function lstatOf(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch {
    return undefined;
  }
}

/** A plain file of at most MAX_FILE_BYTES (never through a symbolic link), or an error saying why not. */
function readText(file: string): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new Error("cdk.tf.json is not a plain file (a link, directory or device)");
    if (stat.size > MAX_FILE_BYTES) throw new Error(`cdk.tf.json is larger than ${MAX_FILE_BYTES} bytes`);
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = fs.readSync(fd, buffer, length, buffer.length - length, null);
    if (length !== stat.size) throw new Error("cdk.tf.json changed while it was read");
    return buffer.subarray(0, length).toString("utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw code ? new Error(`cdk.tf.json cannot be read (${code})`) : e;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export const crossReferencesCommand: GitopsCommand = {
  name: "cross-references",
  usage: "<cdktf.out>",
  summary: "ids reaching into another customer's resources",
  run(args, io) {
    if (args.length !== 1 || !lstatOf(args[0])?.isDirectory()) {
      return usageMistake(crossReferencesCommand, io);
    }
    io.stdout.write(`${JSON.stringify(crossReferences(args[0]))}\n`);
    return 0;
  },
};
