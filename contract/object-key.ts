import * as crypto from "node:crypto";

/**
 * FortiFlex objects carry their own identity: a marker "[ffx:<key>@<settings hash>]" at the end of the
 * configuration name and the entitlement description, because Terraform keeps no state of what
 * local-exec created. Every handler run, on any machine, finds the object again by its key. The settings
 * hash records which settings were last applied, so a plan can tell a pending change (hash differs from
 * the desired one) from drift made outside Terraform (hash matches, object differs).
 */

const MARKER = /\s*\[ffx:([A-Za-z0-9._:/-]+?)(?:@([0-9a-f]{8}))?\]$/;

/** The marker's opening: text that contains it could pass for a key. */
export const KEY_MARKER_OPENING = "[ffx:";

/** A FortiFlex program serial number, e.g. ELAVMS0000000518. */
export const PROGRAM_SERIAL_PATTERN = /^ELAV[A-Z0-9]{12}$/;
/** An entitlement serial number, e.g. FGVMELTM25008315. */
export const ENTITLEMENT_SERIAL_PATTERN = /^[A-Z0-9]{8,32}$/;

/** Allowed key characters: letters, digits and . _ : / - (1-80 characters). */
export const KEY_PATTERN = /^[A-Za-z0-9._:/-]{1,80}$/;

/** `text` with the marker appended, e.g. "Edge firewall [ffx:acme/edge@1a2b3c4d]". */
export function tagWithKey(text: string | null | undefined, key: string, settingsHash?: string): string {
  const base = untagged(text);
  const marker = `${KEY_MARKER_OPENING}${key}${settingsHash ? `@${settingsHash}` : ""}]`;
  return base ? `${base} ${marker}` : marker;
}

/** The key carried by a name or description, if any. */
export function keyOf(text: string | null | undefined): string | undefined {
  return text ? MARKER.exec(text)?.[1] : undefined;
}

/** The settings hash carried by a name or description, if any. */
export function settingsHashOf(text: string | null | undefined): string | undefined {
  return text ? MARKER.exec(text)?.[2] : undefined;
}

/** The user's part of a tagged name or description. */
export function untagged(text: string | null | undefined): string {
  return (text ?? "").replace(MARKER, "").trim();
}

/** Short, order-independent hash of a settings object. */
export function settingsHash(settings: object): string {
  const canonical = JSON.stringify(Object.entries(settings).sort(([a], [b]) => a.localeCompare(b)));
  return crypto.createHash("sha256").update(canonical).digest("hex").slice(0, 8);
}
