import * as crypto from "node:crypto";
import { TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { KEY_PATTERN, PROGRAM_SERIAL_PATTERN } from "../../contract/object-key";
import { ValidationError } from "../validation-error";

/**
 * A stack's FortiFlex namespace: its id in the key alphabet, without "/". Every key the stack uses starts
 * with "<namespace>/", so what a stack owns can be found in FortiFlex alone (its destroy stops everything
 * there). Within an app, two stacks may not share a namespace ("team+a" and "team-a" would).
 */
function namespaceOf(stack: TerraformStack): string {
  return stack.node.id.replace(/[^A-Za-z0-9._:-]/g, "-");
}

/**
 * The default key of a FortiFlex object: "<namespace>/<construct path inside the stack>", restricted to
 * the key alphabet and, when longer than 80 characters, shortened with a hash so it stays unique.
 */
export function defaultObjectKey(scope: IConstruct): string {
  const stack = TerraformStack.of(scope);
  const namespace = claimNamespace(stack);
  const inner = scope.node.path
    .slice(stack.node.path.length)
    .replace(/^\//, "")
    .replace(/[^A-Za-z0-9._:/-]/g, "-");
  const raw = `${namespace}/${inner}`;
  if (raw.length <= 80) return raw;
  // Shortened inside the namespace, with a hash of the whole path so it stays unique.
  const hash = crypto.createHash("sha256").update(raw).digest("hex").slice(0, 10);
  return `${namespace}/${inner.slice(0, 80 - namespace.length - 12)}-${hash}`;
}

/** Longest namespace: leaves room in an 80-character key for a readable path and a hash. */
const MAX_NAMESPACE = 40;

/** Namespaces and adopted objects per app (root construct) and keys per stack, each with the construct path that claimed it. */
const namespaces = new WeakMap<IConstruct, Map<string, string>>();
const adoptions = new WeakMap<IConstruct, Map<string, string>>();
const keys = new WeakMap<TerraformStack, Map<string, string>>();

/**
 * Claims the stack's namespace in its app and returns it: no other stack of the app may have it, whether
 * it declares objects or only owns a namespace (a decommissioned customer), or it could stop their objects.
 */
export function claimNamespace(stack: TerraformStack): string {
  const namespace = namespaceOf(stack);
  if (namespace.length > MAX_NAMESPACE) {
    throw new ValidationError(
      stack,
      "stack id",
      stack.node.id,
      `at most ${MAX_NAMESPACE} characters for a stack with FortiFlex objects (its id begins every FortiFlex key, which FortiFlex limits to 80)`,
    );
  }
  const root = stack.node.root;
  const byNamespace = namespaces.get(root) ?? new Map<string, string>();
  namespaces.set(root, byNamespace);
  const owner = byNamespace.get(namespace);
  if (owner !== undefined && owner !== stack.node.path) {
    throw new ValidationError(
      stack,
      "stack id",
      stack.node.id,
      `an id whose FortiFlex namespace differs from every other stack's: "${namespace}" is already the namespace of stack ${owner} ` +
        '(ids are compared with characters outside A-Za-z0-9._:- replaced by "-")',
    );
  }
  byNamespace.set(namespace, stack.node.path);
  return namespace;
}

/**
 * Checks a key and claims it for `scope`: the key alphabet, no empty, "." or ".." segments, inside the
 * stack's namespace, and used by no other construct of the stack; the namespace used by no other stack of
 * the app. Two objects with one key would be one object to the handler: duplicates, or one stack's destroy
 * stopping another's entitlement.
 */
export function claimKey(scope: IConstruct, key: string): void {
  const alphabet = '1-80 characters from A-Z a-z 0-9 . _ : / -, in segments separated by single "/", none of them "." or ".."';
  if (typeof key !== "string" || !KEY_PATTERN.test(key) || key.split("/").some((segment) => segment === "" || segment === "." || segment === "..")) {
    throw new ValidationError(scope, "key", key, alphabet);
  }
  const stack = TerraformStack.of(scope);
  const namespace = claimNamespace(stack);
  if (!key.startsWith(`${namespace}/`)) {
    throw new ValidationError(
      scope,
      "key",
      key,
      `a key inside the stack's namespace, starting with "${namespace}/" (a stack finds what it owns by its namespace)`,
    );
  }
  const byKey = keys.get(stack) ?? new Map<string, string>();
  keys.set(stack, byKey);
  const holder = byKey.get(key);
  if (holder !== undefined) {
    throw new ValidationError(
      scope,
      "key",
      key,
      `a key of its own: ${holder} already uses it (default keys replace characters outside A-Za-z0-9._:/- with "-"; rename one construct or set its key)`,
    );
  }
  byKey.set(key, scope.node.path);
}

export function validateProgramSerialNumber(scope: IConstruct, serial: string): void {
  if (typeof serial !== "string" || !PROGRAM_SERIAL_PATTERN.test(serial)) {
    throw new ValidationError(
      scope,
      "programSerialNumber",
      serial,
      'a FortiFlex program serial number: "ELAV" and 12 more letters or digits, e.g. "ELAVMS0000000518"',
    );
  }
}

export function validateAccountId(scope: IConstruct, accountId: number | undefined): void {
  if (accountId !== undefined && (!Number.isSafeInteger(accountId) || accountId <= 0)) {
    throw new ValidationError(scope, "accountId", accountId, "a positive integer FortiCloud account id, e.g. 1525960");
  }
}

/**
 * Claims an existing object (e.g. "entitlement FGVM...") for adoption by `scope`: two constructs of one app
 * adopting the same object would both write their key into it, and one of them would then create another.
 */
export function claimAdoption(scope: IConstruct, field: string, object: string): void {
  const root = scope.node.root;
  const claimed = adoptions.get(root) ?? new Map<string, string>();
  adoptions.set(root, claimed);
  const holder = claimed.get(object);
  if (holder !== undefined) throw new ValidationError(scope, field, object, `an object no other construct adopts: ${holder} adopts ${object} already`);
  claimed.set(object, scope.node.path);
}
