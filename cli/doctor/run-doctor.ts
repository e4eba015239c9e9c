import * as fs from "node:fs";
import * as path from "node:path";
import type { ApiEnvelope } from "../../contract/api-types";
import { ENV } from "../../contract/endpoints";
import type { FortiFlexClient } from "../../custom-provider/fortiflex-client";
import type { Customer, CustomersFileError } from "../../stacks/customers-file";
// The package's engines, inlined by esbuild like its version (cli/fortiflex-cli.ts).
import { engines } from "../../package.json";
import type { CliContext } from "../cli-context";
import { AnswerSanitizer } from "./answer-sanitizer";
import { ANSWER_SHAPES, answerShapeProblems } from "./answer-shapes";
import type { CheckName, CheckResult } from "./check-result";
import { exampleValuesCheck } from "./example-values-check";
import { accountChecks, authenticationCheck, credentialsCheck, declaredEndpointsChecks, endpointsCheck, programChecks } from "./fortiflex-checks";
import { nodeVersionCheck } from "./node-version-check";
import { stateBackendChecks } from "./state-backend-check";
import { terraformVersionCheck } from "./terraform-version-check";

export interface DoctorOptions {
  readonly customers?: string;
  readonly skip: readonly CheckName[];
  readonly saveAnswers?: string;
  readonly blobEndpoint: string;
}

/** One answer doctor received: what was asked and what came back. */
interface ReceivedAnswer {
  readonly operation: string;
  readonly request: object;
  readonly envelope: ApiEnvelope;
}

/** The customers file doctor reads: --customers, FORTIFLEX_CUSTOMERS_FILE, ./customers.yaml, or main.ts's default. */
function customersFileOf(given: string | undefined, env: NodeJS.ProcessEnv): string {
  return given || env.FORTIFLEX_CUSTOMERS_FILE || (fs.existsSync("customers.yaml") ? "customers.yaml" : path.join("stacks", "customers.yaml"));
}

/**
 * Every check, in order; a check that needs what an earlier one failed to give is a `skip` saying what it needs.
 * Reads only: the FortiFlex requests are the token, programs/list, and per account of the customers file the two
 * lists a plan reads.
 */
export async function runDoctor(ctx: CliContext, o: DoctorOptions): Promise<CheckResult[]> {
  const env = ctx.io.env;
  const results: CheckResult[] = [];
  const skipped = (check: CheckName) => o.skip.includes(check);
  const skip = (check: CheckName, needs: string) => results.push({ check, status: "skip", detail: skipped(check) ? "(--skip)" : needs });
  /** Runs a check unless --skip names it; true when it ran and nothing failed. */
  const step = async (check: CheckName, run: () => CheckResult[] | Promise<CheckResult[]>): Promise<boolean> => {
    if (skipped(check)) {
      skip(check, "");
      return false;
    }
    const found = await run();
    results.push(...found);
    return found.every((r) => r.status !== "FAIL");
  };

  const today = (ctx.io.today ?? (() => new Date().toISOString().slice(0, 10)))();
  await step("node", () => [nodeVersionCheck(process.versions.node, engines.node, today)]);
  await step("terraform", async () => [await terraformVersionCheck(env)]);

  const fleet = await ctx.io.fleet?.();
  const file = customersFileOf(o.customers, env);
  let customers: Customer[] | undefined;
  if (!fleet) skip("customers-file", "this fortiflex was given no fleet layer to read customers files with: run the installed package's (npm run fortiflex)");
  else
    await step("customers-file", () => {
      try {
        customers = fleet.loadCustomers(file);
        return [{ check: "customers-file", status: "ok", detail: `${file}: ${customers.length} customer(s), valid` }, ...exampleValuesCheck(customers)];
      } catch (e) {
        const problems = (e as Partial<CustomersFileError>).problems ?? [(e as Error).message];
        return [{ check: "customers-file", status: "FAIL", detail: `${file}: ${problems.length} problem(s)\n${problems.map((p) => `- ${p}`).join("\n")}` }];
      }
    });

  const answers: ReceivedAnswer[] = [];
  let client: FortiFlexClient | undefined;
  if (await step("credentials", () => [credentialsCheck(env)])) {
    await step("endpoints", () => {
      try {
        client = ctx.client({ onAnswer: (operation, request, envelope) => answers.push({ operation, request, envelope }) });
        return [endpointsCheck(env), ...declaredEndpointsChecks(env, customers ?? [])];
      } catch (e) {
        // Refused before anything is sent: a malformed URL, or a host that needs --allow-non-fortinet-host.
        return [{ check: "endpoints", status: "FAIL", detail: (e as Error).message }];
      }
    });
  } else skip("endpoints", "needs credentials (the client is built with both)");
  const built: FortiFlexClient | undefined = client;
  let authenticated: FortiFlexClient | undefined;
  if (!built) skip("authentication", "needs credentials and usable endpoints");
  else if (await step("authentication", async () => [await authenticationCheck(built, env)])) authenticated = built;

  if (!authenticated || !customers) {
    const needs = !authenticated ? "needs a token" : "needs the customers file";
    skip("programs", needs);
    skip("accounts", needs);
  } else {
    const [fortiflex, known] = [authenticated, customers];
    // Without the programs check, every program is asked for as if visible: the accounts' answers tell the rest.
    let visible = new Set(known.map((c) => c.fortiflex.programSerialNumber));
    await step("programs", async () => {
      const found = await programChecks(fortiflex, known);
      visible = found.visible;
      return found.results;
    });
    await step("accounts", () => accountChecks(fortiflex, known, visible));
  }

  if (answers.length) await step("answer-shapes", () => [shapesCheck(answers)]);
  else skip("answer-shapes", !authenticated ? "needs a token" : !customers ? "needs the customers file" : "no answer received");
  const known = customers;
  if (known && fleet) await step("state-backend", () => stateBackendChecks(known, o.blobEndpoint, env[ENV.stateDir] || fleet.localStateDir));
  else skip("state-backend", "needs the customers file");
  if (o.saveAnswers !== undefined) results.push(saveAnswers(o.saveAnswers, answers));
  return results;
}

/** Every list answer received against the fields the client reads. */
function shapesCheck(answers: readonly ReceivedAnswer[]): CheckResult {
  const failures: string[] = [];
  const unknownValues: string[] = [];
  const items = new Map<string, number>();
  for (const { operation, envelope } of answers) {
    const expected = ANSWER_SHAPES.get(operation);
    if (!expected) continue;
    const found = answerShapeProblems(envelope, expected.key, expected.shape);
    failures.push(...found.failures.map((p) => `${operation}: ${p}`));
    unknownValues.push(...found.unknownValues.map((p) => `${operation}: ${p}`));
    items.set(expected.key, (items.get(expected.key) ?? 0) + found.items);
  }
  const counted = [...items].map(([key, n]) => `${key}: ${n}`).join(", ");
  const lines = (problems: string[]) => [...new Set(problems)].map((p) => `\n- ${p}`).join("");
  if (failures.length)
    return {
      check: "answer-shapes",
      status: "FAIL",
      detail: `${answers.length} answer(s): fields the client reads are missing or of another type${lines(failures)}`,
    };
  if (unknownValues.length)
    return { check: "answer-shapes", status: "warn", detail: `${answers.length} answer(s): values the client does not know${lines(unknownValues)}` };
  return { check: "answer-shapes", status: "ok", detail: `${answers.length} answer(s) (${counted}): every field the client reads is there, of its type` };
}

/** Writes each answer, sanitized, as <n>-<operation>.json (request and answer) under `dir`. */
function saveAnswers(dir: string, answers: readonly ReceivedAnswer[]): CheckResult {
  const sanitizer = new AnswerSanitizer();
  fs.mkdirSync(dir, { recursive: true });
  answers.forEach(({ operation, request, envelope }, i) => {
    const saved = { operation, request: sanitizer.sanitize(request), answer: sanitizer.sanitize(envelope) };
    fs.writeFileSync(path.join(dir, `${String(i + 1).padStart(2, "0")}-${operation.replace(/\//g, "-")}.json`), `${JSON.stringify(saved, null, 2)}\n`);
  });
  return {
    check: "save-answers",
    status: "ok",
    detail: `${answers.length} answer(s) written to ${dir} (serial numbers, account and configuration ids, names, descriptions and license tokens replaced)`,
  };
}
