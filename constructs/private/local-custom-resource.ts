import { Op, type ITerraformDependable, type LocalExecProvisioner, type TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { ExternalData } from "./external-data";
import { ALLOW_NON_FORTINET_HOST_QUERY, HANDLER_ENV, STEP_IDS, type HandlerCommand, type NamespaceScope } from "../../contract/handler-contract";
import type { EndpointOptIns } from "../fortiflex-endpoints";
import { FortiFlexRuntime } from "./fortiflex-runtime";
import { LifecycleResourceType } from "../lifecycle-resource-type";
import { selfTriggers, stepResource, triggersWithEntry } from "./step-resource";
import { terraformLiteral, terraformLiterals } from "./terraform-literal";

export interface LocalCustomResourceProps {
  /** What finds the object; fixed for its life. Stored in the lifecycle resource for the destroy step. */
  readonly identity: { readonly key: string } & NamespaceScope & Record<string, string>;
  /** What the code allows for the identity's endpoints (resolveEndpoints). */
  readonly optIns: EndpointOptIns;
  /** What may change in place. */
  readonly settings: Record<string, string>;
  /**
   * What the settings step says of itself in a plan, in FortiFlex terms (its `in_place` trigger: recorded, never a
   * reason to run; a change of it alone replaces nothing).
   */
  readonly settingsSummary: string;
  /** Settings used only when the object is created (not triggers of the settings step). @default {} */
  readonly creationSettings?: Record<string, string>;
  readonly resourceType: LifecycleResourceType;
  /** Read the object at plan time and repair differences on apply. */
  readonly detectDrift: boolean;
  /** Resources whose objects must exist first. */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * An existing object to adopt ({"config_id"} or {"serial_number"}): an Adoption step gives it the key before
   * the lifecycle step looks for it. @default - none
   */
  readonly adoption?: Record<string, string>;
}

/**
 * A FortiFlex object managed through local-exec, in the shape every step of its life needs:
 *
 * - Lifecycle: identity only. Create runs `ensure` (find by key or create, then apply settings); destroy
 *   runs `destroy` (stop / disable). Changing identity replaces it.
 * - Settings: replaced whenever a setting changes; its create runs `apply` in place. No destroy step, so
 *   a settings change stops nothing, unless the setting is an entitlement's status STOPPED. With drift
 *   detection, the stack's observation of the object's scope (FortiFlexRuntime) reads the object at plan
 *   time; when it differs from the settings, the step gains a `drift` trigger, so the plan replaces it, and
 *   runs `ensure` (which also restores an object lost by its key).
 * - State: an external data source with the object's attributes, created only when read.
 *
 * The object is declared to the stack's FortiFlexRuntime: its lifecycle depends on the owner of its scope,
 * and the stack's reconcile step runs after its steps.
 */
export class LocalCustomResource extends Construct {
  readonly lifecycle: TerraformResource;
  readonly settingsResource: TerraformResource;
  /** Every resource that acts on the object, in order; what depends on the object depends on all of them. */
  readonly steps: TerraformResource[] = [];
  private readonly runtime: FortiFlexRuntime;
  /** The lifecycle resource's id: a trigger of every later step, so they are replaced with it (one reference token). */
  private readonly lifecycleId: string;
  private readonly identityJson: string;
  private readonly settingsJson: string;
  /** The opt-in every step and data source hands the handler ("true"/"false"). */
  private readonly allowNonFortinetHost: string;
  private stateSource?: ExternalData;

  /** The resource type of every step. */
  get resourceType(): LifecycleResourceType {
    return this.props.resourceType;
  }

  constructor(
    scope: Construct,
    id: string,
    private readonly props: LocalCustomResourceProps,
  ) {
    super(scope, id);
    this.runtime = FortiFlexRuntime.of(this);
    if (props.resourceType === LifecycleResourceType.NULL_RESOURCE) this.runtime.useNullProvider();
    // User text (descriptions, names, folders) reaches Terraform only as literals: never evaluated there.
    this.identityJson = terraformLiteral(JSON.stringify(props.identity));
    this.settingsJson = terraformLiteral(JSON.stringify({ ...props.settings, ...props.creationSettings }));
    this.allowNonFortinetHost = String(!!props.optIns.allowNonFortinetHost);

    const owner = this.runtime.ownerOf(props.identity, props.resourceType, props.optIns);
    // Adoption has no destroy step: dropping it later changes nothing; the object stays the stack's.
    const adoption = props.adoption ? [this.adoptionStep(props.adoption, owner)] : [];
    this.lifecycle = this.resource(
      STEP_IDS.lifecycle,
      terraformLiterals(props.identity),
      [this.run("ensure", { [HANDLER_ENV.settings]: this.settingsJson }), this.run("destroy", {}, "destroy")],
      [...(props.dependsOn ?? []), owner, ...adoption],
    );
    this.lifecycleId = this.lifecycle.getStringAttribute("id");
    const settingsTriggers = { lifecycle: this.lifecycleId, ...terraformLiterals(props.settings), in_place: terraformLiteral(props.settingsSummary) };
    // With drift detection, the settings step also repairs: it gains a `drift` trigger (what the plan found
    // changed outside Terraform) while the object differs, so the plan replaces it and its `ensure` restores
    // the object; it loses the trigger once the object matches again.
    const observed = props.detectDrift ? this.runtime.observation(props.identity, this.identityJson, this.settingsJson, { drift: true }) : undefined;
    this.settingsResource = this.resource(
      STEP_IDS.settings,
      observed
        ? triggersWithEntry(this, `${STEP_IDS.settings}Triggers`, settingsTriggers, () => ({
            key: "drift",
            value: observed.drift,
            present: Op.neq(observed.inSync, "true"),
          }))
        : settingsTriggers,
      [this.run(observed ? "ensure" : "apply", { [HANDLER_ENV.settings]: this.settingsJson })],
      [this.lifecycle],
    );
    this.settingsResource.lifecycle = { ignoreChanges: [`${selfTriggers(props.resourceType).replace(/^self\./, "")}["in_place"]`] };
    this.steps.push(this.lifecycle, this.settingsResource);
    this.runtime.declare(props.identity.key, props.identity, this.steps);
  }

  /**
   * An extra create-time step (e.g. token regeneration) that runs after the object is in shape; replaced with
   * the object and when a trigger changes. `scope` is where it lives (a VM's boot step lives with the VM).
   */
  addStep(
    id: string,
    command: HandlerCommand,
    triggers: Record<string, string>,
    environment: Record<string, string>,
    scope: Construct = this,
  ): TerraformResource {
    const step = stepResource(
      scope,
      id,
      this.props.resourceType,
      { lifecycle: this.lifecycleId, ...triggers },
      [this.run(command, environment)],
      [...this.steps],
    );
    this.steps.push(step);
    this.runtime.declare(this.props.identity.key, this.props.identity, [step]);
    return step;
  }

  /**
   * The Adoption step, after a plan-time check (an external data source that fails the plan with the reason
   * when the object cannot be adopted, before anything is created).
   */
  private adoptionStep(adoption: Record<string, string>, owner: TerraformResource): TerraformResource {
    this.runtime.useExternalProvider();
    const adoptionJson = terraformLiteral(JSON.stringify(adoption));
    const check = new ExternalData(this, STEP_IDS.adoptionCheck, {
      program: [...this.runtime.handlerArgs, "check-adoption" satisfies HandlerCommand],
      query: { identity: this.identityJson, adoption: adoptionJson, [ALLOW_NON_FORTINET_HOST_QUERY]: this.allowNonFortinetHost },
    });
    return this.resource(
      STEP_IDS.adoption,
      terraformLiterals({ key: this.props.identity.key, ...adoption }),
      [this.run("adopt", { [HANDLER_ENV.adoption]: adoptionJson })],
      [...(this.props.dependsOn ?? []), owner, check],
    );
  }

  /**
   * The object's attributes read after `step` (at plan time unless a step changes): the shared state source
   * when it does not exist yet (it then follows every step, `step` included), else a new one in `scope`.
   */
  readAfter(scope: Construct, id: string, step: TerraformResource): ExternalData {
    if (!this.stateSource && this.steps.includes(step)) {
      this.attribute("id");
      return this.stateSource!;
    }
    return new ExternalData(scope, id, { program: [...this.runtime.handlerArgs, "read" satisfies HandlerCommand], query: this.readQuery(), dependsOn: [step] });
  }

  /** The object's attributes as strings, read after every step above (created on first use). */
  attribute(name: string): string {
    this.stateSource ??= new ExternalData(this, STEP_IDS.state, {
      program: [...this.runtime.handlerArgs, "read" satisfies HandlerCommand],
      query: this.readQuery(),
      dependsOn: [...this.steps],
    });
    return this.stateSource.result.lookup(name);
  }

  /**
   * A read's query: the identity, and the scope's plan-time observation of the object. Read in the same plan
   * (no step changes, so nothing runs before it), the read answers from it without asking FortiFlex again;
   * deferred to the apply, it asks.
   */
  private readQuery(): Record<string, string> {
    const observed = this.runtime.observation(this.props.identity, this.identityJson, this.settingsJson, { attributes: true });
    return { identity: this.identityJson, observed: observed.attributes, walk: observed.walk, [ALLOW_NON_FORTINET_HOST_QUERY]: this.allowNonFortinetHost };
  }

  private run(command: HandlerCommand, environment: Record<string, string>, when?: "destroy"): LocalExecProvisioner {
    // A destroy step may only reference `self`, so it takes the identity from the stored triggers.
    const identity = when === "destroy" ? `\${jsonencode(${selfTriggers(this.props.resourceType)})}` : this.identityJson;
    return this.runtime.run(command, { [HANDLER_ENV.identity]: identity, ...environment }, this.allowNonFortinetHost, when);
  }

  private resource(id: string, triggers: Record<string, string>, provisioners: LocalExecProvisioner[], dependsOn?: ITerraformDependable[]): TerraformResource {
    return stepResource(this, id, this.props.resourceType, triggers, provisioners, dependsOn);
  }
}
