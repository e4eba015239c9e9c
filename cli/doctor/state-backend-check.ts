import type { Customer } from "../../stacks/customers-file";
import type { CheckResult } from "./check-result";

/** Azure's public cloud; `--blob-endpoint` names another (a sovereign cloud, or a loopback stub in tests). */
export const DEFAULT_BLOB_ENDPOINT = "https://{account}.blob.core.windows.net";

const TIMEOUT_MS = 15_000;

/**
 * Where each customer keeps its Terraform state. Local state is fine for trying things, not for the GitOps
 * workflows. A remote backend is asked once per storage account and container, anonymously: with Entra ID
 * (the default) doctor holds no key, so a refusal (401, 403, 409) still proves that the name resolves and the
 * account answers; whether the container exists and who may write it is proven by `terraform init`.
 */
export async function stateBackendChecks(customers: readonly Customer[], blobEndpoint: string, localStateDir: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const local = customers.filter((c) => !c.backend);
  if (local.length)
    results.push({
      check: "state-backend",
      status: "ok",
      detail: `local state in ${localStateDir}/ for ${names(local)} (not for CI: the GitOps workflows need backend.azurerm)`,
    });
  const byContainer = new Map<string, Customer[]>();
  for (const c of customers) {
    if (!c.backend) continue;
    const { storageAccountName, containerName } = c.backend.azurerm;
    const key = `${storageAccountName}/${containerName}`;
    byContainer.set(key, [...(byContainer.get(key) ?? []), c]);
  }
  for (const [key, users] of byContainer) {
    const [account, container] = key.split("/");
    results.push(await containerCheck(blobEndpoint.replace("{account}", account), account, container, users));
  }
  return results;
}

async function containerCheck(base: string, account: string, container: string, users: readonly Customer[]): Promise<CheckResult> {
  const where = `${account}/${container} (${names(users)})`;
  const result = (status: CheckResult["status"], detail: string): CheckResult => ({ check: "state-backend", status, detail: `${where}: ${detail}` });
  const url = `${base.replace(/\/+$/, "")}/${container}?restype=container`;
  const host = new URL(url).host;
  let res: Response;
  try {
    res = await fetch(url, { method: "HEAD", headers: { "x-ms-version": "2023-11-03" }, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "manual" });
  } catch (e) {
    const code = ((e as Error & { cause?: NodeJS.ErrnoException }).cause?.code ?? (e as Error).name) || "no answer";
    if (code === "ENOTFOUND") return result("FAIL", `${host} does not resolve: no such storage account (check backend.azurerm.storageAccountName)`);
    return result("FAIL", `no answer from ${host} (${code}): check the account name, the network and the account's firewall`);
  }
  const answer = `HTTP ${res.status}${res.headers.get("x-ms-error-code") ? ` ${res.headers.get("x-ms-error-code")}` : ""}`;
  if (res.ok) return result("warn", `the container answers anonymous requests (${answer}): anyone can read its state files; set its access level to private`);
  if ([401, 403, 409].includes(res.status))
    return result("ok", `${host} answers and refuses anonymous access (${answer}): the account exists; terraform init proves the container and your access`);
  if (res.status === 404 && res.headers.get("x-ms-error-code") === "ContainerNotFound")
    return result("FAIL", `no such container (${answer}): create it, or fix backend.azurerm.containerName`);
  if (res.status === 404)
    return result("warn", `${host} answers, but anonymously a private container and a missing one look alike (${answer}): terraform init tells`);
  return result("warn", `${host} answered ${answer}: not what a storage account answers; check the account name and --blob-endpoint`);
}

function names(customers: readonly Customer[]): string {
  return customers.map((c) => c.id).join(", ");
}
