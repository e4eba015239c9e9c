import { Fn, Token, type TerraformResource } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { ExternalData } from "./private/external-data";
import { ALLOW_NON_FORTINET_HOST_QUERY, HANDLER_ENV, STEP_IDS, type EntitlementIdentity, type EntitlementSettings } from "../contract/handler-contract";
import type { IFortiFlexConfiguration } from "./fortiflex-configuration";
import type { FortiFlexEndpoints } from "./fortiflex-endpoints";
import { FortiFlexRuntime, resolveEndpoints } from "./private/fortiflex-runtime";
import { LifecycleResourceType } from "./lifecycle-resource-type";
import { LocalCustomResource } from "./private/local-custom-resource";
import { claimAdoption, claimKey, defaultObjectKey, validateAccountId, validateProgramSerialNumber } from "./private/object-identity";
import { selfTriggers } from "./private/step-resource";
import { terraformLiteral } from "./private/terraform-literal";
import { ValidationError } from "./validation-error";
import { checkFramework } from "./private/framework";
import { entitlementSettingsSummary } from "./private/settings-summary";
import { validateSerialNumber, validateVmEntitlementProps } from "./private/validate-fortiflex-vm-entitlement-props";
import { EntitlementDesiredStatus } from "./entitlement-desired-status";

/** Every `licenseToken` handed out, by its token text. */
const TOKENS = new Map<string, FortiFlexVmEntitlement>();

/** Props of a FortiFlex VM entitlement managed by this stack. */
export interface FortiFlexVmEntitlementProps {
  /** The configuration the entitlement uses (this stack's, or one made elsewhere); changing it moves the entitlement in place. */
  readonly configuration: IFortiFlexConfiguration;
  /** Shown in FortiFlex (the object key is appended to it). @default "" */
  readonly description?: string;
  /** Termination date, YYYY-MM-DD, not in the past. @default - the program's end date */
  readonly endDate?: string;
  /** Asset folder, used when the entitlement is created. @default "My Assets" */
  readonly folderPath?: string;
  /** @default EntitlementDesiredStatus.ACTIVE */
  readonly status?: EntitlementDesiredStatus;
  /**
   * Activate at creation instead of on first token use. Charges start at once. @default false
   */
  readonly skipPending?: boolean;
  /**
   * Bump to regenerate the license token (a new one-time token; a VM built from this entitlement's token
   * is rebuilt with it). @default 0
   */
  readonly tokenGeneration?: number;
  /**
   * Stable identity written into the entitlement's description. Changing it stops this entitlement and
   * creates (or reuses) another. @default - "<stack name>/<construct path in the stack>"
   */
  readonly key?: string;
  /** @default - the configuration's */
  readonly lifecycleResource?: LifecycleResourceType;
  /** Read the entitlement at plan time and restore it on apply when changed outside Terraform. @default - the configuration's */
  readonly detectDrift?: boolean;
  /**
   * Adopt this existing entitlement (by serial number, e.g. a FortiGate already running with it) instead of
   * creating one: it must be in the configuration's account, on a configuration of the same product type,
   * and not another key's. Adoption never creates or stops; the entitlement then takes this construct's
   * settings in place (its configuration included). @default - none
   */
  readonly adoptSerialNumber?: string;
}

/** A FortiFlex VM entitlement: one this stack manages, or one made elsewhere (`fromSerialNumber`). */
export interface IFortiFlexVmEntitlement extends IConstruct {
  /** Serial number, e.g. FGVMELTM25008315. */
  readonly serialNumber: string;
  /** The current one-time license token (a sensitive value). */
  readonly licenseToken: string;
  /** USED once a VM has licensed itself with the token, else NOTUSED. */
  readonly tokenStatus: string;
  /** PENDING, ACTIVE, STOPPED or EXPIRED, as FortiFlex reports it. */
  readonly status: string;
  /** Id of the configuration the entitlement uses. */
  readonly configId: string;
}

/** An entitlement made elsewhere, read by serial number; this stack never changes or stops it. */
export interface ExistingFortiFlexVmEntitlementProps {
  /** Its serial number, e.g. FGVMELTM25008315. */
  readonly serialNumber: string;
  /** FortiFlex program serial number. */
  readonly programSerialNumber: string;
  /** @default - the API user's own account */
  readonly accountId?: number;
  /** @default - Fortinet's FortiFlex service (synth never reads endpoints from the environment) */
  readonly endpoints?: FortiFlexEndpoints;
}

/**
 * A FortiFlex VM entitlement: at most one per key, ever. Created or reused (a STOPPED one is reactivated)
 * on apply, changed in place, stopped on destroy (FortiFlex has no delete).
 */
export class FortiFlexVmEntitlement extends Construct implements IFortiFlexVmEntitlement {
  /**
   * An entitlement made elsewhere, by serial number: its attributes are read at plan time. The stack never
   * changes or stops it; to take it over (and have FortiGates boot with a fresh token), use `adoptSerialNumber`.
   */
  static fromSerialNumber(scope: Construct, id: string, props: ExistingFortiFlexVmEntitlementProps): IFortiFlexVmEntitlement {
    return new ExistingEntitlement(scope, id, props);
  }

  /** The identity written into the FortiFlex object ("<stack>/<path>" unless given). */
  readonly key: string;
  /** The configuration it uses. */
  readonly configuration: IFortiFlexConfiguration;
  /** The token generation (bumped to regenerate the token). */
  readonly tokenGeneration: number;
  private readonly resource: LocalCustomResource;
  private readonly desiredStatus: EntitlementDesiredStatus;
  /** The construct path of the VM that licenses itself with this entitlement. */
  private bootedBy?: string;

  constructor(scope: Construct, id: string, props: FortiFlexVmEntitlementProps) {
    super(scope, id);
    checkFramework(this, "FortiFlexVmEntitlement");
    const { wiring, description, status, tokenGeneration } = validateVmEntitlementProps(this, props);
    const configuration = props.configuration;
    this.desiredStatus = status;
    this.tokenGeneration = tokenGeneration;
    this.key = props.key ?? defaultObjectKey(this);
    claimKey(this, this.key);
    this.configuration = configuration;

    const identity: EntitlementIdentity = {
      kind: "entitlement",
      key: this.key,
      program_serial_number: configuration.programSerialNumber,
      account_id: configuration.accountId === undefined ? "" : String(configuration.accountId),
      api_url: configuration.endpoints.apiUrl,
      auth_url: configuration.endpoints.authUrl,
    };
    const settings: EntitlementSettings = {
      config_key: wiring.reference,
      description: description.trim(),
      end_date: props.endDate ?? "",
      folder_path: props.folderPath ?? "",
      status,
      skip_pending: String(props.skipPending ?? false),
    };
    const { folder_path, skip_pending, ...mutable } = settings;
    if (props.adoptSerialNumber !== undefined) claimAdoption(this, "adoptSerialNumber", `entitlement ${props.adoptSerialNumber}`);
    this.resource = new LocalCustomResource(this, "Resource", {
      identity: { ...identity },
      optIns: configuration.endpoints,
      settings: mutable,
      settingsSummary: entitlementSettingsSummary(status),
      creationSettings: { folder_path, skip_pending },
      resourceType: props.lifecycleResource ?? wiring.lifecycleResourceType,
      detectDrift: props.detectDrift ?? wiring.detectDrift,
      dependsOn: wiring.dependables,
      ...(props.adoptSerialNumber === undefined
        ? {}
        : {
            adoption: {
              serial_number: props.adoptSerialNumber,
              product_type_id: configuration.productTypeId === undefined ? "" : String(configuration.productTypeId),
            },
          }),
    });
    if (this.tokenGeneration > 0) {
      this.resource.addStep(
        STEP_IDS.tokenRegeneration,
        "regenerate-token",
        { generation: String(this.tokenGeneration) },
        { [HANDLER_ENV.tokenGeneration]: String(this.tokenGeneration) },
      );
    }
  }

  /**
   * The step that runs right before a VM licensed by this entitlement is created, in the VM's `scope`: it
   * regenerates the token when an earlier VM used it (a FortiFlex token works once). The VM must be replaced
   * whenever the step is (`replace_triggered_by`), and the step whenever something forces a new VM
   * (`triggers`; changes of `ignoredTriggers` are recorded but replace nothing). Returns the step and the
   * token to boot with (sensitive, read after the step). One VM per entitlement.
   *
   * Plumbing of the FortiGate VM constructs (`FortiGateLicense.fromEntitlement`), not for direct use.
   * @internal
   */
  addBootStep(
    scope: Construct,
    triggers: Record<string, string>,
    ignoredTriggers: readonly string[] = [],
  ): { readonly step: TerraformResource; readonly token: string } {
    if (this.bootedBy) {
      throw new ValidationError(
        scope,
        "license",
        this.node.path,
        `an entitlement no other VM uses: ${this.bootedBy} already licenses itself with it (one token, one FortiGate)`,
      );
    }
    if (this.desiredStatus === EntitlementDesiredStatus.STOPPED) {
      throw new ValidationError(scope, "license", this.node.path, "an entitlement with status ACTIVE: a FortiGate cannot license itself with a STOPPED one");
    }
    this.bootedBy = scope.node.path;
    const step = this.resource.addStep(STEP_IDS.licenseBoot, "prepare-boot", { token_generation: String(this.tokenGeneration), ...triggers }, {}, scope);
    // Recorded, but not reasons to rebuild (e.g. the bootstrap configuration, unless asked for).
    if (ignoredTriggers.length)
      step.lifecycle = { ignoreChanges: ignoredTriggers.map((k) => `${selfTriggers(this.resource.resourceType).replace(/^self\./, "")}["${k}"]`) };
    const state = this.resource.readAfter(scope, STEP_IDS.licenseBootState, step);
    return { step, token: Token.asString(Fn.sensitive(state.result.lookup("token"))) };
  }

  /** Serial number, e.g. FGVMELTM25008315 (known after apply). */
  get serialNumber(): string {
    return this.resource.attribute("serial_number");
  }

  /**
   * The current one-time license token (a sensitive value: never shown in plans or logs). For a FortiGate VM
   * use `FortiGateLicense.fromEntitlement`: the VM then gets a token that is unused when it boots.
   */
  get licenseToken(): string {
    const token = Token.asString(Fn.sensitive(this.resource.attribute("token")));
    TOKENS.set(token, this);
    return token;
  }

  /** The entitlement whose `licenseToken` this is, if any (so a VM given it still gets a boot step). */
  static ofLicenseToken(token: string): FortiFlexVmEntitlement | undefined {
    return TOKENS.get(token);
  }

  /** USED once a VM has licensed itself with the token, else NOTUSED. */
  get tokenStatus(): string {
    return this.resource.attribute("token_status");
  }

  /** The description as FortiFlex holds it, without the key marker. */
  get description(): string {
    return this.resource.attribute("description");
  }

  /** PENDING, ACTIVE, STOPPED or EXPIRED, as FortiFlex reports it. */
  get status(): string {
    return this.resource.attribute("status");
  }

  /** Id of the configuration the entitlement uses. */
  get configId(): string {
    return this.resource.attribute("config_id");
  }
}

class ExistingEntitlement extends Construct implements IFortiFlexVmEntitlement {
  /** Its serial number. */
  readonly serialNumber: string;
  private readonly state: ExternalData;

  constructor(scope: Construct, id: string, props: ExistingFortiFlexVmEntitlementProps) {
    super(scope, id);
    checkFramework(this, "FortiFlexVmEntitlement.fromSerialNumber");
    validateProgramSerialNumber(this, props.programSerialNumber);
    validateAccountId(this, props.accountId);
    validateSerialNumber(this, "serialNumber", props.serialNumber);
    this.serialNumber = props.serialNumber;
    const endpoints = resolveEndpoints(this, props.endpoints);
    const identity: EntitlementIdentity = {
      kind: "entitlement",
      key: "",
      serial_number: props.serialNumber,
      program_serial_number: props.programSerialNumber,
      account_id: props.accountId === undefined ? "" : String(props.accountId),
      api_url: endpoints.apiUrl,
      auth_url: endpoints.authUrl,
    };
    const runtime = FortiFlexRuntime.of(this);
    runtime.useExternalProvider();
    runtime.useEndpoints(identity, endpoints);
    this.state = new ExternalData(this, STEP_IDS.state, {
      program: [...runtime.handlerArgs, "read"],
      query: { identity: terraformLiteral(JSON.stringify(identity)), [ALLOW_NON_FORTINET_HOST_QUERY]: String(!!endpoints.allowNonFortinetHost) },
    });
  }

  /** Its current token, read at plan time (a sensitive value; its freshness is not this stack's). */
  get licenseToken(): string {
    return Token.asString(Fn.sensitive(this.state.result.lookup("token")));
  }

  /** USED or NOTUSED. */
  get tokenStatus(): string {
    return this.state.result.lookup("token_status");
  }

  /** PENDING, ACTIVE, STOPPED or EXPIRED. */
  get status(): string {
    return this.state.result.lookup("status");
  }

  /** Id of the configuration it uses. */
  get configId(): string {
    return this.state.result.lookup("config_id");
  }
}
