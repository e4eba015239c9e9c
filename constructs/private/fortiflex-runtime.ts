import type { EndpointOptIns, FortiFlexEndpoints, ResolvedFortiFlexEndpoints } from "../fortiflex-endpoints";
import * as crypto from "node:crypto";
import {
  App,
  AssetType,
  Aspects,
  Fn,
  Lazy,
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
import { selfTriggers, stepResource } from "./step-resource";
import { addDependencies } from "./terraform-address";
import { hasTokenMarker, terraformLiteral, terraformLiterals } from "./terraform-literal";
import { ValidationError } from "../validation-error";

const RUNTIME_ID = "FortiFlexRuntime";

/**
 * Per-stack shared parts of the FortiFlex custom resources: the handler file shipped into the stack
 * directory as an asset, the null and external providers (created only when something needs them), and
 * what makes the stack's ownership hold where Terraform's destroy steps do not run:
 *
 * - `Owner_<hash>`, one per scope (endpoint, program, account) the stack uses: no create step, so a failure
 *   can never taint it, and created before every object of its scope, so destroyed after them. Its destroy
 *   step stops everything the stack's namespace holds in that scope, including objects whose own steps were
 *   tainted or lost from the state. Its address comes from namespace and scope, so it is never replaced.
 * - `Reconcile`: triggered by the declared keys and scopes, after every object's steps. Its create step stops
 *   live objects of the namespace that are no longer declared (removed from the code: Terraform drops their
 *   resources without running their destroy steps) and settles duplicates; when replaced, its old instance's
 *   destroy step does the same in the scopes the stack used before.
 * - `Observe_<hash>`, one per scope with objects to watch: an external data source read at every plan that
 *   lists the scope's configurations and entitlements once (two requests, whatever the number of objects)
 *   and reports each object's drift and attributes. What a plan costs in FortiFlex requests, and so in the
 *   API user's rate limit, stays flat per stack.
 * - `EndpointPin`: the endpoints the stack's objects were made at (see `pinEndpoints`).
 *
 * At synth it warns (stderr, once per stack) when FORTIFLEX_API_URL / FORTIFLEX_AUTH_URL differ from the
 * endpoints the stack declares: synth no longer takes them, and someone who set them expects otherwise.
 */
export class FortiFlexRuntime extends Construct {
  /** The stack's runtime, created on first use. */
  static of(scope: IConstruct): FortiFlexRuntime {
    const stack = TerraformStack.of(scope);
    return (stack.node.tryFindChild(RUNTIME_ID) as FortiFlexRuntime | undefined) ?? new FortiFlexRuntime(stack, RUNTIME_ID);
  }

  /** Argument list that runs the handler, relative to the stack directory (where Terraform runs). */
  readonly handlerArgs: string[];
  /** Every key the stack declares, with its scope. */
  private readonly declared = new Map<string, NamespaceScope>();
  /** Owner resources by id, with their scopes. */
  private readonly owners = new Map<string, { resource: TerraformResource; scope: NamespaceScope }>();
  private reconcile?: TerraformResource;
  /** Observe data sources by id, with the objects each watches (by key) and the scope's Settle step. */
  private readonly observers = new Map<string, { source: ExternalData; objects: Map<string, ObservedObject>; settle: TerraformResource }>();
  /** Every declared object's steps, which settle steps follow. */
  private readonly declaredSteps: TerraformResource[] = [];
  private resourceType?: LifecycleResourceType;
  /** Provider types already found or added in the stack. */
  private readonly providers = new Set<string>();
  /** Every endpoint pair the stack's constructs talk to ("<api> <auth>"), and those whose constructs allow a non-Fortinet host. */
  private readonly endpointsInUse = new Set<string>();
  private readonly nonFortinetAllowed = new Set<string>();
  /** Whether any construct of the stack lets its endpoints change (see pinEndpoints). */
  private endpointChangeAllowed = false;
  private pin?: { readonly resource: TerraformResource; readonly declared: string };

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const handler = handlerBundle(App.of(this).outdir);
    const asset = new TerraformAsset(this, "Handler", { path: handler.path, type: AssetType.FILE, assetHash: handler.assetHash });
    this.handlerArgs = ["node", `\${path.module}/${asset.path}`];
    // At synth, when every construct has declared its endpoints (aspects run even when validation is skipped).
    let warned = false;
    Aspects.of(TerraformStack.of(this)).add({
      visit: (node) => {
        if (node !== this || warned) return;
        warned = true;
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
   * The owner resource of a scope, which every object of that scope depends on (created on first use, with
   * the stack's reconcile step). A stack that only calls this (a decommissioned customer) declares nothing
   * there: its apply stops everything the namespace holds in the scope.
   */
  ownerOf(scope: NamespaceScope, resourceType: LifecycleResourceType, optIns: EndpointOptIns = {}): TerraformResource {
    this.resourceType ??= resourceType;
    this.useEndpoints(scope, optIns);
    const identity: NamespaceIdentity = { kind: "namespace", namespace: this.namespace, ...pickScope(scope) };
    const id = `${STEP_IDS.owner}_${this.scopeHash(scope)}`;
    let owner = this.owners.get(id);
    if (!owner) {
      const release = this.run("release", { [HANDLER_ENV.identity]: `\${jsonencode(${this.selfTriggers()})}` }, this.nonFortinetHostOptIn(scope), "destroy");
      owner = { resource: this.resource(id, terraformLiterals({ ...identity }), [release]), scope: pickScope(scope) };
      this.owners.set(id, owner);
    }
    this.reconcile ??= this.createReconcile();
    this.pinEndpoints();
    return owner.resource;
  }

  /**
   * The stack's endpoint pin. The endpoints are part of every object's identity and of each owner's address,
   * so changing them plans every lifecycle step's replacement (each destroy step stops its object at the old
   * endpoint) and the reconcile step's (it sweeps the old scopes): "stop everything", then create anew. The
   * owner cannot guard against that: its address changes with the endpoints, so the new one has no past to
   * compare with. Hence one small resource per stack, with no provisioners (creating, replacing or dropping
   * it acts on nothing, and a running stack that gains it plans only its create), that records the endpoints
   * it was created with and ignores later changes of them; its postcondition compares the record with the
   * declared endpoints, so a change fails the plan with both named before anything is planned. With
   * allowEndpointChange the guard is off: the pin is replaced with the new endpoints and the plan shows the
   * stops (the pull-request summary says why).
   */
  private pinEndpoints(): void {
    if (!this.pin) {
      const declared = Lazy.stringValue({ produce: () => terraformLiteral([...new Set(this.scopes().map((s) => `${s.api_url} ${s.auth_url}`))].join(", ")) });
      this.pin = { resource: this.resource(STEP_IDS.endpointPin, { endpoints: declared }, []), declared };
    }
    const { resource, declared } = this.pin;
    const recorded = `${this.selfTriggers()}.endpoints`;
    const stack = TerraformStack.of(this).node.id;
    // Any construct of the stack that allows the change allows it for the whole stack (decided again on every call).
    resource.lifecycle = this.endpointChangeAllowed
      ? undefined
      : {
          ignoreChanges: [this.selfTriggers().replace(/^self\./, "")],
          postcondition: [
            {
              condition: `\${${recorded} == "${declared}"}`,
              errorMessage:
                `Stack ${stack} was applied with FortiFlex endpoints \${${recorded}} and now declares ${declared}. ` +
                "Applying that would stop every entitlement and disable every configuration of the stack at the old endpoints " +
                "(entitlements in use included) and create them anew at the new ones. Declare the old endpoints again, " +
                "or set endpoints.allowEndpointChange: true (customers file: fortiflex.endpoints.allowEndpointChange) to make the change on purpose.",
            },
          ],
        };
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

  /**
   * The Observe data source of a scope, with the Settle step that follows it: a marker resource that appears
   * in the plan only when the observation found strays (duplicates of declared keys, live objects of the
   * namespace no longer declared; its triggers say which) and whose create step sweeps the scope after every
   * object's steps. A plan only reads; Settle is how what it found gets stopped, whatever `detectDrift` says.
   */
  private observerOf(scope: NamespaceScope): { source: ExternalData; objects: Map<string, ObservedObject> } {
    const hash = this.scopeHash(scope);
    const id = `${STEP_IDS.observe}_${hash}`;
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
    const strays = source.result.lookup(OBSERVATION.strays);
    const settle = this.resource(`${STEP_IDS.settle}_${hash}`, { account_id: terraformLiteral(scope.account_id), strays }, [
      this.run(
        "sweep",
        { [HANDLER_ENV.namespace]: this.namespace, [HANDLER_ENV.scopes]: `[${scopeJson}]`, ...this.declaredNow() },
        this.nonFortinetHostOptIn(scope),
      ),
    ]);
    // 1 when strays were found, else 0 (cdktf renders a literal "" or 0 operand of == as undefined).
    settle.count = Token.asNumber(Fn.min([1, Fn.lengthOf(strays)]));
    addDependencies(settle, this.declaredSteps);
    observer = { source, objects, settle };
    this.observers.set(id, observer);
    return observer;
  }

  /** Records a declared object and the steps that bring it into shape; the reconcile and settle steps run after them. */
  declare(key: string, scope: NamespaceScope, steps: TerraformResource[]): void {
    this.declared.set(key, pickScope(scope));
    this.declaredSteps.push(...steps);
    addDependencies(this.reconcile!, steps);
    for (const { settle } of this.observers.values()) addDependencies(settle, steps);
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
   * the old one, so what is left there is stopped.
   */
  private createReconcile(): TerraformResource {
    const now = this.declaredNow();
    const scopes = now[HANDLER_ENV.declaredScopes];
    return this.resource(STEP_IDS.reconcile, { namespace: this.namespace, scopes, declared: now[HANDLER_ENV.declared] }, [
      this.run("sweep", { [HANDLER_ENV.namespace]: this.namespace, [HANDLER_ENV.scopes]: scopes, ...now }, this.nonFortinetHostOptIn()),
      // The old instance's scopes, against what the code declares now: literal values in a destroy step come
      // from the current configuration, references to self from the state.
      this.run(
        "sweep",
        { [HANDLER_ENV.namespace]: `\${${this.selfTriggers()}.namespace}`, [HANDLER_ENV.scopes]: `\${${this.selfTriggers()}.scopes}`, ...now },
        this.nonFortinetHostOptIn(),
        "destroy",
      ),
    ]);
  }

  /** Names a scope of this stack's namespace in construct ids (so in addresses: stable for the scope's life). */
  private scopeHash(scope: NamespaceScope): string {
    const identity: NamespaceIdentity = { kind: "namespace", namespace: this.namespace, ...pickScope(scope) };
    return crypto.createHash("sha256").update(JSON.stringify(identity)).digest("hex").slice(0, 8);
  }

  private scopes(): NamespaceScope[] {
    return [...this.owners.values()].map((o) => o.scope).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }

  /** The stack's own steps use the type of its first FortiFlex object (null_resource unless chosen). */
  private resource(id: string, triggers: Record<string, string>, provisioners: LocalExecProvisioner[]): TerraformResource {
    if (this.resourceType !== LifecycleResourceType.TERRAFORM_DATA) this.useNullProvider();
    return stepResource(this, id, this.resourceType ?? LifecycleResourceType.NULL_RESOURCE, triggers, provisioners);
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
