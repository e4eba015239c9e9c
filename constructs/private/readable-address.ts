import * as crypto from "node:crypto";
import { TerraformDataSource, TerraformElement, TerraformLocal, TerraformResource, TerraformStack } from "cdktf";

/** Logical ids given so far in each stack, with the construct path that has each. */
const given = new WeakMap<TerraformStack, Map<string, string>>();

/** cdktf's hash suffix: `_` and 8 upper-case hex digits of the path's MD5. */
const HASH_SUFFIX = /_[0-9A-F]{8}$/;

/**
 * Names a step or data source of the library for people: its Terraform address is its construct path as
 * cdktf writes it (`FortiGate_Entitlement_Settings`), without the hash cdktf appends to keep addresses unique
 * whatever the ids. Uniqueness is checked here instead: two elements of a stack whose paths give one name fail
 * the synth with both paths named. A resource gets a `moved` block from the hashed address it had in earlier
 * versions (`previousId` when its construct id changed too; `index` when it now has a count), so a running
 * stack keeps it: Terraform moves the state entry and plans no create or destroy.
 */
export function nameForPeople(element: TerraformResource | TerraformDataSource, moved: { previousId?: string; index?: number } = {}): void {
  const stack = TerraformStack.of(element);
  const hashed = stack.getLogicalId(element);
  const name = readableLogicalId(element);
  const key = `${element.terraformResourceType}.${name}`;
  let names = given.get(stack);
  if (!names) given.set(stack, (names = new Map()));
  const other = names.get(key);
  if (other !== undefined) {
    throw new Error(
      `${element.node.path}: its Terraform address ${key} is already that of ${other} (construct ids joined with "_", ` +
        "characters Terraform does not allow removed, meet); give one of the two constructs another id",
    );
  }
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
    throw new Error(
      `${element.node.path}: its Terraform address would be ${key}, which Terraform refuses (a name starts with a letter or "_" ` +
        'and holds only letters, digits, "_" and "-"); give the construct, or the first one of its path, an id that starts with a letter',
    );
  }
  names.set(key, element.node.path);
  element.overrideLogicalId(name);
  const from = moved.previousId ?? hashed;
  if (TerraformResource.isTerraformResource(element) && (from !== name || moved.index !== undefined)) {
    new MovedBlock(element, "MovedFrom", `${element.terraformResourceType}.${from}`, element, moved.index);
  }
}

/** The same for a local of the library (named `local.<construct path>`). */
export function nameLocalForPeople(local: TerraformLocal): void {
  const stack = TerraformStack.of(local);
  const name = readableLogicalId(local);
  let names = given.get(stack);
  if (!names) given.set(stack, (names = new Map()));
  names.set(`local.${name}`, local.node.path);
  local.overrideLogicalId(name);
}

/**
 * At synth: no other element of the stack (a user's resource whose logical id was set by hand) has an address
 * of the library's steps, which Terraform would merge into one block.
 */
export function checkAddressesInStack(stack: TerraformStack): void {
  const names = given.get(stack);
  if (!names) return;
  for (const node of stack.node.findAll()) {
    const address = addressOf(node);
    if (address === undefined) continue;
    const owner = names.get(address);
    if (owner !== undefined && owner !== node.node.path) {
      throw new Error(
        `${node.node.path}: its Terraform address ${address} is that of the FortiFlex library's ${owner}, and Terraform would merge the two; ` +
          "give your element another logical id",
      );
    }
  }
}

/** "type.name" of a resource or data source, "local.name" of a local; undefined for anything else. */
function addressOf(node: unknown): string | undefined {
  if (TerraformResource.isTerraformResource(node) || TerraformDataSource.isTerraformDataSource(node))
    return `${node.terraformResourceType}.${node.friendlyUniqueId}`;
  if (node instanceof TerraformLocal) return `local.${node.friendlyUniqueId}`;
  return undefined;
}

/** An element's construct path as cdktf writes it into an address, without the hash. */
export function readableLogicalId(element: TerraformElement): string {
  return TerraformStack.of(element).getLogicalId(element).replace(HASH_SUFFIX, "");
}

/** cdktf's logical id of a construct path below the stack whose components hold no dupes or "Resource"/"Default" parts. */
export function hashedLogicalId(components: readonly string[]): string {
  const hash = crypto.createHash("md5").update(components.join("/")).digest("hex").slice(0, 8).toUpperCase();
  return `${components.map((c) => c.replace(/[^A-Za-z0-9_-]/g, "")).join("_")}_${hash}`;
}

/**
 * A `moved` block (`from` an old address to a resource of the stack, at `index` when it has a count). cdktf's
 * own (`moveFromId`) cannot name an index.
 */
class MovedBlock extends TerraformElement {
  constructor(
    scope: TerraformResource,
    id: string,
    private readonly from: string,
    private readonly to: TerraformResource,
    private readonly index?: number,
  ) {
    super(scope, id);
  }

  toTerraform(): Record<string, unknown> {
    const to = `${this.to.terraformResourceType}.${this.to.friendlyUniqueId}${this.index === undefined ? "" : `[${this.index}]`}`;
    return { moved: [{ from: this.from, to }] };
  }
}
