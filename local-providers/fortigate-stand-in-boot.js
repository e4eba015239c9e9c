#!/usr/bin/env node
/**
 * What a FortiGate does at first boot with its custom data, for the Azure VM stand-in of real-terraform runs
 * (tests, plan benchmark): decode the Base64 custom data, take the token from the MIME part named "license",
 * and activate it at the simulator (loopback only), which refuses a token that was already used. Appends one
 * line per boot to FORTIGATE_BOOT_LOG (the token only as a short hash) and fails when the FortiGate would be
 * unlicensed.
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");

async function main() {
  const name = process.env.FORTIGATE_NAME || "?";
  const simulator = new URL(process.env.SIMULATOR_URL || "");
  if (simulator.hostname !== "127.0.0.1") throw new Error(`the stand-in only talks to a simulator on 127.0.0.1, not ${simulator.hostname}`);
  const document = Buffer.from(process.env.FORTIGATE_CUSTOM_DATA || "", "base64").toString("utf8");
  const boundary = /boundary="([^"]+)"/.exec(document)?.[1];
  if (!boundary) throw new Error("custom data is not a MIME multipart document");
  const parts = document.split(`--${boundary}`).slice(1, -1);
  const license = parts.find((p) => /Content-Disposition: attachment; filename="license"/.test(p));
  const token = license && /\nLICENSE-TOKEN:([A-F0-9]{20})\n/.exec(license)?.[1];
  const hostname = /set hostname "([^"]+)"/.exec(parts[0] ?? "")?.[1] ?? "";
  const record = { vm: name, hostname, token: token ? crypto.createHash("sha256").update(token).digest("hex").slice(0, 12) : "", at: new Date().toISOString() };
  let outcome;
  if (!token) {
    outcome = { licensed: false, error: "no LICENSE-TOKEN in a license part" };
  } else {
    const res = await fetch(new URL("/__simulator/tokens/use", simulator), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token }),
    });
    const body = await res.json();
    outcome = res.ok ? { licensed: true, serial: body.serialNumber } : { licensed: false, error: body.error };
  }
  fs.appendFileSync(process.env.FORTIGATE_BOOT_LOG, `${JSON.stringify({ ...record, ...outcome })}\n`);
  if (!outcome.licensed) {
    process.stderr.write(`FortiGate ${name} booted UNLICENSED: ${outcome.error}\n`);
    process.exit(1);
  }
  process.stdout.write(`FortiGate ${name} booted, licensed as ${outcome.serial}\n`);
}

main().catch((e) => {
  process.stderr.write(`stand-in boot failed: ${e.message}\n`);
  process.exit(1);
});
