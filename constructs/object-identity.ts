import * as crypto from "node:crypto";
import { TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { KEY_PATTERN } from "../custom-provider/object-key";
import { ValidationError } from "./validation-error";

/**
 * The default key of a FortiFlex object: "<stack name>/<construct path inside the stack>", restricted to
 * the key alphabet and, when longer than 80 characters, shortened with a hash so it stays unique.
 */
export function defaultObjectKey(scope: IConstruct): string {
  const stack = TerraformStack.of(scope);
  const inner = scope.node.path.slice(stack.node.path.length).replace(/^\//, "");
  const raw = `${stack.node.id}/${inner}`.replace(/[^A-Za-z0-9._:/-]/g, "-");
  if (raw.length <= 80) return raw;
  const hash = crypto.createHash("sha256").update(raw).digest("hex").slice(0, 10);
  return `${raw.slice(0, 69)}-${hash}`;
}

export function validateKey(scope: IConstruct, key: string): void {
  if (typeof key !== "string" || !KEY_PATTERN.test(key)) {
    throw new ValidationError(scope, "key", key, "1-80 characters from A-Z a-z 0-9 . _ : / -");
  }
}

export function validateProgramSerialNumber(scope: IConstruct, serial: string): void {
  if (typeof serial !== "string" || !/^ELAV[A-Z0-9]{12}$/.test(serial)) {
    throw new ValidationError(scope, "programSerialNumber", serial, 'a FortiFlex program serial number: "ELAV" and 12 more letters or digits, e.g. "ELAVMS0000000518"');
  }
}

export function validateAccountId(scope: IConstruct, accountId: number | undefined): void {
  if (accountId !== undefined && (!Number.isSafeInteger(accountId) || accountId <= 0)) {
    throw new ValidationError(scope, "accountId", accountId, "a positive integer FortiCloud account id, e.g. 1525960");
  }
}
