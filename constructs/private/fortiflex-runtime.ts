import type { EndpointOptIns, FortiFlexEndpoints, ResolvedFortiFlexEndpoints } from "../fortiflex-endpoints";
import * as crypto from "node:crypto";
import {
  App,
  AssetType,
  Aspects,
  Fn,
  Lazy,
  Op,
  Token,
  TerraformAsset,
  TerraformProvider,
  TerraformStack,
  type LocalExecProvisioner,
  type TerraformResource,
} from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { ExternalData, ExternalProvider } from "./external-data";
import {
  ALLOW_NON_FORTINET_HOST_QUERY,
  HANDLER_ENV,
  OBSERVATION,
  STEP_IDS,
  type HandlerCommand,
  type NamespaceIdentity,
  type NamespaceScope,
  type ObservedObject,
} from "../../contract/handler-contract";
import { DEFAULT_API_URL, DEFAULT_AUTH_URL, endpointProblem, ENV, nonFortinetHostProblem, withTrailingSlash } from "../../contract/endpoints";
import { handlerBundle } from "./handler-bundle";
import { LifecycleResourceType } from "../lifecycle-resource-type";
import { claimNamespace } from "./object-identity";
import { checkAddressesInStack, hashedLogicalId } from "./readable-address";
import { selfTriggers, stepResource, triggersWithEntry, type StepHistory } from "./step-resource";
import { addDependencies } from "./terraform-address";
import { hasTokenMarker, terraformLiteral, terraformLiterals } from "./terraform-literal";
import { ValidationError } from "../validation-error";

const RUNTIME_ID = "FortiFlexRuntime";

/**
 * Per-stack shared parts of the FortiFlex custom resources: the handler file shipped into the stack
 * directory as an asset, the null and external providers (created only when something needs them), and
 * what makes the stack's ownership hold where Terraform's destroy steps do not run:
 *
 * - `StopAllOnDestroy_<program>_<account>`, one per scope (program, account; one endpoint pair each) the
 *   stack uses: no create step, so a failure can never taint it, and created before every object of its
 *   scope, so destroyed after them. Its destroy step stops everything the stack's namespace holds in that
 *   scope, including objects whose own steps were tainted or lost from the state (its `on_destroy` trigger
 *   says so in the plan). It also pins the scope's endpoints (see `guardEndpoints`).
 * - `Reconcile`: triggered by the declared keys and scopes, after every object's steps. Its create step stops
 *   live objects of the namespace that are no longer declared (removed from the code: Terraform drops their
 *   resources without running their destroy steps) and settles duplicates; when replaced, its old instance's
 *   destroy step does the same in the scopes the stack used before. It gains a `strays` trigger while a plan
 *   finds duplicates of declared keys or undeclared live objects, so that plan runs it again.
 * - `Observe_<program>_<account>`, one per scope with declared objects: an external data source read at every
 *   plan that lists the scope's configurations and entitlements once (two requests, whatever the number of
 *   objects) and reports each object's drift and attributes, and the strays. What a plan costs in FortiFlex
 *   requests, and so in the API user's rate limit, stays flat per stack.
 *
 * At synth it warns (stderr, once per stack) when FORTIFLEX_API_URL / FORTIFLEX_AUTH_URL differ from the
 * endpoints the stack declares: synth no longer takes them, and someone who set them expects otherwise.
 */
export class FortiFlexRuntime extends Construct {
  /** The stack's runtime, created on first use. */
  static of(scope: IConstruct): FortiFlexRuntime {
    const stack = TerraformStack.of(scope);
    const found = stack.node.tryFindChild(RUNTIME_ID);
    if (found === undefined) return new FortiFlexRuntime(stack, RUNTIME_ID);
    if (found instanceof FortiFlexRuntime) return found;
    throw new Error(
      `${found.node.path}: the construct id ${RUNTIME_ID} at the root of a stack is the FortiFlex library's (its shared steps live there); ` +
        "give your construct another id",
    );
  }

  /** Argument list that runs the handler, relative to the stack directory (where Terraform runs). */
  readonly handlerArgs: string[];
  /** Every key the stack declares, with its scope. */
  private readonly declared = new Map<string, NamespaceScope>();
  /** StopAllOnDestroy resources by id, with their scopes. */
  private readonly owners = new Map<string, { resource: TerraformResource; scope: NamespaceScope }>();
  private reconcile?: TerraformResource;
  /** Observe data sources by id, with the objects each watches (by key). */
  private readonly observers = new Map<string, { source: ExternalData; objects: Map<string, ObservedObject> }>();
  private resourceType?: LifecycleResourceType;
  /** Provider types already found or added in the stack. */
  private readonly providers = new Set<string>();
  /** Every endpoint pair the stack's constructs talk to ("<api> <auth>"), and those whose constructs allow a non-Fortinet host. */
  private readonly endpointsInUse = new Set<string>();
  private readonly nonFortinetAllowed = new Set<string>();
  /** Whether any construct of the stack lets its endpoints change (see guardEndpoints). */
  private endpointChangeAllowed = false;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const handler = handlerBundle(App.of(this).outdir);
    const asset = new TerraformAsset(this, "Handler", { path: handler.path, type: AssetType.FILE, assetHash: handler.assetHash });
    this.handlerArgs = ["node", `\${path.module}/${asset.path}`];
    // At synth, when every construct has declared its endpoints (aspects run even when validation is skipped).
    let visited = false;
    Aspects.of(TerraformStack.of(this)).add({
      visit: (node) => {
        if (node !== this || visited) return;
        visited = true;
        checkAddressesInStack(TerraformStack.of(this));
        this.guardEndpoints();
        this.warnAboutEnvironment();
      },
    });
  }

  /** Records endpoints a construct of the stack talks to, and what its code allows for them. */
  useEndpoints(endpoints: { readonly api_url: string; readonly auth_url: string }, optIns: EndpointOptIns = {}): void {
    const pair = `${endpoints.api_url} ${endpoints.auth_url}`;
    this.endpointsInUse.add(pair);
    if (optIns.allowNonFortinetHost) this.nonFortinetAllowed.add(pair);
    if (optIns.allowEndpointChange) this.endpointChangeAllowed = true;
  }

  /** The opt-in handed to the handler by a step of `scope` ("true"/"false"; every scope of the stack when none is given). */
  private nonFortinetHostOptIn(scope?: NamespaceScope): string {
    return Lazy.stringValue({
      produce: () => String(scope ? this.nonFortinetAllowed.has(`${scope.api_url} ${scope.auth_url}`) : this.nonFortinetAllowed.size > 0),
    });
  }

  private warnAboutEnvironment(): void {
    const declared = [...this.endpointsInUse].map((pair) => pair.split(" "));
    const differing = (
      [
        [ENV.apiUrl, 0],
        [ENV.authUrl, 1],
      ] as const
    ).filter(([name, i]) => process.env[name] && declared.some((pair) => pair[i] !== withTrailingSlash(process.env[name]!)));
    if (!differing.length) return;
    const set = differing.map(([name]) => `${name}=${JSON.stringify(process.env[name]!.slice(0, 200))}`).join(" and ");
    const declaredText = [...new Set(differing.flatMap(([, i]) => declared.map((pair) => pair[i])))].join(", ");
    process.stderr.write(
      `fortiflex: warning: stack ${TerraformStack.of(this).node.id}: ${set} is set, but the stack declares ${declaredText}; ` +
        "synth takes endpoints from the code only (the constructs' endpoints prop, the customers file's fortiflex.endpoints), " +
        "so the variable is not used\n",
    );
  }

  /** The stack's namespace: the first segment of every key it owns (claimed in the app on first use). */
  get namespace(): string {
    return claimNamespace(TerraformStack.of(this));
  }

  /** The null provider of the stack (the user's own if declared, else one added here). */
  useNullProvider(): void {
    if (this.providers.has("null")) return;
    const stack = TerraformStack.of(this);
    if (!hasProvider(stack, "null")) new NullProvider(stack, "fortiflex-null");
    this.providers.add("null");
  }

  /** The external provider of the stack (the user's own if declared, else one added here). */
  useExternalProvider(): void {
    if (this.providers.has("external")) return;
    const stack = TerraformStack.of(this);
    if (!hasProvider(stack, "external")) new ExternalProvider(stack, "fortiflex-external");
    this.providers.add("external");
  }

  /**
   * The StopAllOnDestroy resource of a scope, which every object of that scope depends on (created on first
   * use, with the stack's reconcile step). A stack that only calls this (a decommissioned customer) declares
   * nothing there: its apply stops everything the namespace holds in the scope.
   */
  ownerOf(scope: NamespaceScope, resourceType: LifecycleResourceType, optIns: EndpointOptIns = {}): TerraformResource {
    this.resourceType ??= resourceType;
    this.useEndpoints(scope, optIns);
    const id = `${STEP_IDS.stopAllOnDestroy}_${this.scopeName(scope)}`;
    let owner = this.owners.get(id);
    if (owner && JSON.stringify(owner.scope) !== JSON.stringify(pickScope(scope))) {
      throw new Error(
        `${this.node.path}: account ${scope.account_id || "(the program's own)"} of program ${scope.program_serial_number} is reached at two ` +
          `endpoint pairs in one stack (api ${owner.scope.api_url} with auth ${owner.scope.auth_url}, and api ${scope.api_url} with auth ${scope.auth_url}); ` +
          "a stack talks to each account of a program at one pair: give the constructs the same endpoints, or put them in separate stacks",
      );
    }
    if (!owner) {
      const identity: NamespaceIdentity = { kind: "namespace", namespace: this.namespace, ...pickScope(scope) };
      const release = this.run("release", { [HANDLER_ENV.identity]: `\${jsonencode(${this.selfTriggers()})}` }, this.nonFortinetHostOptIn(scope), "destroy");
      const onDestroy =
        `stops every entitlement and disables every configuration that stack namespace ${this.namespace} holds in account ` +
        `${scope.account_id || "(the program's own)"} of program ${scope.program_serial_number}, including any its other steps no longer track`;
      // Named by its scope, the address outlives endpoint changes, which the lifecycle set at synth guards.
      const history = { previousId: hashedLogicalId([RUNTIME_ID, `${STEP_IDS.owner}_${this.scopeHash(scope)}`]) };
      const triggers = terraformLiterals({ ...identity, on_destroy: onDestroy });
      owner = { resource: this.resource(id, triggers, [release], history), scope: pickScope(scope) };
      this.owners.set(id, owner);
    }
    this.reconcile ??= this.createReconcile();
    return owner.resource;
  }

  /**
   * Each StopAllOnDestroy step pins the endpoints of its scope. The endpoints are part of every object's
   * identity, so changing them plans every lifecycle step's replacement (each destroy step stops its object at
   * the old endpoint), the reconcile step's (it sweeps the old scopes) and this step's own: "stop everything",
   * then create anew. So the step records the endpoints it was created with and ignores later changes of them
   * (and of its `on_destroy` wording); its postcondition compares the record with the declared endpoints, so a
   * change fails the plan with both named before anything is planned. With allowEndpointChange (any construct
   * of the stack) the guard is off: the step is replaced, its old instance's destroy step stops what the
   * namespace holds at the old endpoints, and the plan and pull-request summary say why.
   */
  private guardEndpoints(): void {
    const self = this.selfTriggers();
    const attribute = self.replace(/^self\./, "");
    const stack = TerraformStack.of(this).node.id;
    for (const { resource, scope } of this.owners.values()) {
      const ignored = (this.endpointChangeAllowed ? ["on_destroy"] : ["api_url", "auth_url", "on_destroy"]).map((k) => `${attribute}["${k}"]`);
      const declared = terraformLiteral(`${scope.api_url} ${scope.auth_url}`);
      const recorded = `\${${self}.api_url} \${${self}.auth_url}`;
      resource.lifecycle = this.endpointChangeAllowed
        ? { ignoreChanges: ignored }
        : {
            ignoreChanges: ignored,
            postcondition: [
              {
                condition: `\${${self}.api_url == "${terraformLiteral(scope.api_url)}" && ${self}.auth_url == "${terraformLiteral(scope.auth_url)}"}`,
                errorMessage:
                  `Stack ${stack} was applied with FortiFlex endpoints ${recorded} and now declares ${declared}. ` +
                  "Applying that would stop every entitlement and disable every configuration of the stack at the old endpoints " +
                  "(entitlements in use included) and create them anew at the new ones. Declare the old endpoints again, " +
                  "or set endpoints.allowEndpointChange: true (customers file: fortiflex.endpoints.allowEndpointChange) to make the change on purpose.",
              },
            ],
          };
    }
  }

  /**
   * What the plan-time observation of the object's scope says of it (the scope's Observe created on first
   * use): whether it matches its settings, what differs (when asked for `drift`), its attributes as JSON
   * (when asked for `attributes`; sensitive: a license token is among them) and the walk they were read in.
   * `identityJson` and `settingsJson` are the object's own (Terraform literals).
   */
  observation(
    identity: NamespaceScope & { readonly key: string },
    identityJson: string,
    settingsJson: string,
    wanted: { drift?: boolean; attributes?: boolean },
  ): Observation {
    // Literal queries keep the observation in the plan: a deferred one would run in the apply, beside the steps.
    if (hasTokenMarker(identityJson) || hasTokenMarker(settingsJson))
      throw new Error(`${identity.key}: the plan-time observation takes literal identity and settings only`);
    const observer = this.observerOf(identity);
    const known = observer.objects.get(identity.key);
    observer.objects.set(identity.key, {
      identity: identityJson,
      settings: settingsJson,
      detect_drift: String(!!wanted.drift || known?.detect_drift === "true"),
      attributes: String(!!wanted.attributes || known?.attributes === "true"),
    });
    const result = observer.source.result;
    return {
      inSync: result.lookup(OBSERVATION.inSync(identity.key)),
      drift: result.lookup(OBSERVATION.drift(identity.key)),
      attributes: Token.asString(Fn.sensitive(result.lookup(OBSERVATION.state(identity.key)))),
      walk: result.lookup(OBSERVATION.walk),
    };
  }

  /** The Observe data source of a scope (created on first use). A plan only reads; what it finds astray the reconcile step stops. */
  private observerOf(scope: NamespaceScope): { source: ExternalData; objects: Map<string, ObservedObject> } {
    const id = `${STEP_IDS.observe}_${this.scopeName(scope)}`;
    let observer = this.observers.get(id);
    if (observer) return observer;
    this.useExternalProvider();
    const objects = new Map<string, ObservedObject>();
    const scopeJson = terraformLiteral(JSON.stringify(pickScope(scope)));
    // Identity and settings are Terraform literals already; both lists are written at synth, every object declared.
    const source = new ExternalData(this, id, {
      program: [...this.handlerArgs, "observe" satisfies HandlerCommand],
      query: {
        scope: scopeJson,
        namespace: this.namespace,
        declared: Lazy.stringValue({
          produce: () =>
            terraformLiteral(
              JSON.stringify(
                [...this.declared]
                  .filter(([, s]) => JSON.stringify(s) === JSON.stringify(pickScope(scope)))
                  .map(([key]) => key)
                  .sort(),
              ),
            ),
        }),
        objects: Lazy.stringValue({ produce: () => JSON.stringify([...objects.values()]) }),
        [ALLOW_NON_FORTINET_HOST_QUERY]: this.nonFortinetHostOptIn(scope),
      },
    });
    observer = { source, objects };
    this.observers.set(id, observer);
    return observer;
  }

  /** Records a declared object and the steps that bring it into shape; the reconcile step runs after them. */
  declare(key: string, scope: NamespaceScope, steps: TerraformResource[]): void {
    this.declared.set(key, pickScope(scope));
    // Every scope with declared objects is observed, drift detection or not: duplicates and leftovers are
    // found by the next plan and stopped by its apply on every path.
    this.observerOf(scope);
    addDependencies(this.reconcile!, steps);
  }

  /** What the code declares now, as the sweep command takes it ("<key>@<scope index>" and the scopes). */
  private declaredNow(): Record<string, string> {
    const declared = Lazy.stringValue({
      produce: () => {
        const scopes = this.scopes().map((s) => JSON.stringify(s));
        return terraformLiteral(JSON.stringify([...this.declared].map(([key, scope]) => `${key}@${scopes.indexOf(JSON.stringify(scope))}`).sort()));
      },
    });
    return {
      [HANDLER_ENV.declared]: declared,
      [HANDLER_ENV.declaredScopes]: Lazy.stringValue({ produce: () => terraformLiteral(JSON.stringify(this.scopes())) }),
    };
  }

  /**
   * Declared keys are "<key>@<index into scopes>": a key moved to another account is no longer declared in
   * the old one, so what is left there is stopped. The step gains a `strays` trigger while the plan's
   * observations find strays ("account <id>: <what>", scopes joined by " | "), so it runs again and stops
   * them. Its count is 1 once the observations are known: an observation Terraform would defer to the apply
   * (its data source given a dependency by an override) fails the plan here instead of being read beside the
   * steps.
   */
  private createReconcile(): TerraformResource {
    const now = this.declaredNow();
    const scopes = now[HANDLER_ENV.declaredScopes];
    // Built once, at synth, when every scope is known: cdktf produces a lazy value on each of its passes, and
    // each function token costs a stack trace. Nothing observed (a decommissioned stack): no entry, count 1.
    let built: { strays: string; found: unknown; count: number } | undefined;
    const expressions = () => {
      if (built || !this.observers.size) return built;
      const strays = Fn.join(" | ", Fn.compact([...this.observers.values()].map((o) => o.source.result.lookup(OBSERVATION.strays))));
      built = { strays, found: Op.eq(Fn.min([1, Fn.lengthOf(strays)]), 1), count: Token.asNumber(Fn.min([1, Op.add(Fn.lengthOf(strays), 1)])) };
      return built;
    };
    const triggers = triggersWithEntry(
      this,
      `${STEP_IDS.reconcile}Triggers`,
      { namespace: this.namespace, scopes, declared: now[HANDLER_ENV.declared] },
      () => {
        const e = expressions();
        return e && { key: "strays", value: e.strays, present: e.found };
      },
    );
    const reconcile = this.resource(
      STEP_IDS.reconcile,
      triggers,
      [
        this.run("sweep", { [HANDLER_ENV.namespace]: this.namespace, [HANDLER_ENV.scopes]: scopes, ...now }, this.nonFortinetHostOptIn()),
        // The old instance's scopes, against what the code declares now: literal values in a destroy step come
        // from the current configuration, references to self from the state.
        this.run(
          "sweep",
          { [HANDLER_ENV.namespace]: `\${${this.selfTriggers()}.namespace}`, [HANDLER_ENV.scopes]: `\${${this.selfTriggers()}.scopes}`, ...now },
          this.nonFortinetHostOptIn(),
          "destroy",
        ),
      ],
      { index: 0 },
    );
    reconcile.count = Token.asNumber(Lazy.anyValue({ produce: () => expressions()?.count ?? 1 }));
    return reconcile;
  }

  /** Names a scope in construct ids (so in addresses): its program and account, unique per stack (see ownerOf). */
  private scopeName(scope: NamespaceScope): string {
    return `${scope.program_serial_number}_${scope.account_id || "OwnAccount"}`;
  }

  /** The hash that named a scope of this stack's namespace in construct ids before addresses were named for people. */
  private scopeHash(scope: NamespaceScope): string {
    const identity: NamespaceIdentity = { kind: "namespace", namespace: this.namespace, ...pickScope(scope) };
    return crypto.createHash("sha256").update(JSON.stringify(identity)).digest("hex").slice(0, 8);
  }

  private scopes(): NamespaceScope[] {
    return [...this.owners.values()].map((o) => o.scope).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }

  /** The stack's own steps use the type of its first FortiFlex object (null_resource unless chosen). */
  private resource(id: string, triggers: Record<string, string>, provisioners: LocalExecProvisioner[], history: StepHistory): TerraformResource {
    if (this.resourceType !== LifecycleResourceType.TERRAFORM_DATA) this.useNullProvider();
    return stepResource(this, id, this.resourceType ?? LifecycleResourceType.NULL_RESOURCE, triggers, provisioners, undefined, history);
  }

  private selfTriggers(): string {
    return selfTriggers(this.resourceType ?? LifecycleResourceType.NULL_RESOURCE);
  }

  /**
   * A local-exec step running the handler with `command`. The opt-in ("true"/"false") is always set in the
   * step's own environment, which takes precedence over Terraform's: only the code can give it.
   */
  run(command: HandlerCommand, environment: Record<string, string>, allowNonFortinetHost: string, when?: "destroy"): LocalExecProvisioner {
    return {
      type: "local-exec",
      interpreter: this.handlerArgs,
      command,
      environment: { ...environment, [HANDLER_ENV.allowNonFortinetHost]: allowNonFortinetHost },
      ...(when ? { when } : {}),
    };
  }
}

/** What a scope's observation says of one object (Terraform expressions). */
export interface Observation {
  readonly inSync: string;
  readonly drift: string;
  readonly attributes: string;
  readonly walk: string;
}

function pickScope(s: NamespaceScope): NamespaceScope {
  return { program_serial_number: s.program_serial_number, account_id: s.account_id, api_url: s.api_url, auth_url: s.auth_url };
}

/** By provider type rather than class: the user's provider may come from another binding of the same provider. */
function hasProvider(stack: TerraformStack, type: string): boolean {
  return stack.node.findAll().some((c) => TerraformProvider.isTerraformProvider(c) && c.terraformResourceType === type && !c.alias);
}

/** The endpoints to bake into a construct's steps, checked (`scope` names the construct in errors). */
export function resolveEndpoints(scope: IConstruct, endpoints: FortiFlexEndpoints | undefined): ResolvedFortiFlexEndpoints {
  for (const flag of ["allowNonFortinetHost", "allowEndpointChange"] as const) {
    const value = endpoints?.[flag];
    if (value !== undefined && typeof value !== "boolean") throw new ValidationError(scope, `endpoints.${flag}`, value, "true or false");
  }
  const allowNonFortinetHost = endpoints?.allowNonFortinetHost ?? false;
  // One spelling per service (a trailing slash), since endpoints are part of each object's identity.
  const given = { apiUrl: endpoints?.apiUrl ?? DEFAULT_API_URL, authUrl: endpoints?.authUrl ?? DEFAULT_AUTH_URL };
  const resolved = { apiUrl: "", authUrl: "" };
  for (const [which, field] of [
    ["api", "apiUrl"],
    ["auth", "authUrl"],
  ] as const) {
    const url = given[field];
    const problem = typeof url === "string" ? endpointProblem(which, withTrailingSlash(url)) : "not a string";
    if (problem) throw new ValidationError(scope, `endpoints.${field}`, url, problem);
    const host = allowNonFortinetHost ? undefined : nonFortinetHostProblem(which, url);
    if (host)
      throw new ValidationError(
        scope,
        `endpoints.${field}`,
        url,
        `${host}; the FortiFlex credentials go to another host only with endpoints.allowNonFortinetHost: true`,
      );
    resolved[field] = withTrailingSlash(url);
  }
  return { ...resolved, allowNonFortinetHost, allowEndpointChange: endpoints?.allowEndpointChange ?? false };
}
