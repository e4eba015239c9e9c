import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { formatParameters } from "../custom-provider/operation-support";
import type { ConfigIdentity, ConfigSettings } from "../spec/handler-contract";
import { FortiFlexProduct } from "./fortiflex-product";
import { resolveEndpoints, type FortiFlexEndpoints, type ResolvedFortiFlexEndpoints } from "./fortiflex-runtime";
import { LifecycleResourceType } from "./lifecycle-resource-type";
import { LocalCustomResource } from "./local-custom-resource";
import { defaultObjectKey, validateAccountId, claimKey, validateProgramSerialNumber } from "./object-identity";
import { hasTokenMarker } from "./terraform-literal";
import { ValidationError } from "./validation-error";

export interface FortiFlexConfigurationProps {
  /** FortiFlex program serial number, e.g. "ELAVMS0000000518". */
  readonly programSerialNumber: string;
  /** Member account (an MSSP customer) that owns the configuration. @default - the API user's own account */
  readonly accountId?: number;
  /** Configuration name shown in FortiFlex (the object key is appended to it). */
  readonly name: string;
  /** Product type and parameters, e.g. `FortiFlexProduct.fortiGateVmBundle({ cpu: 2, servicePackage: ... })`. */
  readonly product: FortiFlexProduct;
  /**
   * Stable identity written into the FortiFlex object. Changing it creates a new configuration.
   * @default - "<stack name>/<construct path in the stack>"
   */
  readonly key?: string;
  /** @default LifecycleResourceType.NULL_RESOURCE */
  readonly lifecycleResource?: LifecycleResourceType;
  /** Read the configuration at plan time and restore it on apply when edited outside Terraform. @default true */
  readonly detectDrift?: boolean;
  /** @default - from FORTIFLEX_API_URL / FORTIFLEX_AUTH_URL at synth, else the real FortiFlex service */
  readonly endpoints?: FortiFlexEndpoints;
  /**
   * Adopt this existing configuration (by its FortiFlex id) instead of creating one: it must be in the
   * construct's account, of its product type, and not another key's. Adoption never creates or disables;
   * the configuration then takes this construct's name and parameters in place. @default - none
   */
  readonly adoptConfigId?: number;
}

/**
 * A FortiFlex configuration (product type + parameters). Created or adopted by key on apply, updated in
 * place when name or parameters change, disabled on destroy (FortiFlex has no delete).
 */
export class FortiFlexConfiguration extends Construct {
  readonly key: string;
  readonly programSerialNumber: string;
  readonly accountId?: number;
  readonly product: FortiFlexProduct;
  readonly endpoints: ResolvedFortiFlexEndpoints;
  readonly lifecycleResourceType: LifecycleResourceType;
  readonly detectDrift: boolean;
  /** The Terraform resources that bring the configuration into shape; entitlements depend on them. */
  readonly dependables: ITerraformDependable[];
  private readonly resource: LocalCustomResource;

  constructor(scope: Construct, id: string, props: FortiFlexConfigurationProps) {
    super(scope, id);
    validateProgramSerialNumber(this, props.programSerialNumber);
    validateAccountId(this, props.accountId);
    if (typeof props.name !== "string" || !props.name.trim() || props.name.length > 100 || /\[ffx:/.test(props.name) || hasTokenMarker(props.name)) {
      throw new ValidationError(this, "name", props.name, "literal text of 1-100 characters, not containing \"[ffx:\" (the key marker) or a cdktf reference");
    }
    if (!(props.product instanceof FortiFlexProduct)) throw new ValidationError(this, "product", props.product, "a FortiFlexProduct (e.g. FortiFlexProduct.fortiGateVmBundle({...}))");
    const problem = props.product.problems()[0];
    if (problem) throw new ValidationError(this, `product.${problem.field}`, problem.value, problem.message);
    if (props.adoptConfigId !== undefined && (!Number.isSafeInteger(props.adoptConfigId) || props.adoptConfigId < 1)) {
      throw new ValidationError(this, "adoptConfigId", props.adoptConfigId, "the id of an existing FortiFlex configuration (a positive whole number)");
    }

    this.key = props.key ?? defaultObjectKey(this);
    claimKey(this, this.key);
    this.programSerialNumber = props.programSerialNumber;
    this.accountId = props.accountId;
    this.product = props.product;
    this.endpoints = resolveEndpoints(this, props.endpoints);
    this.lifecycleResourceType = props.lifecycleResource ?? LifecycleResourceType.NULL_RESOURCE;
    this.detectDrift = props.detectDrift ?? true;

    const identity: ConfigIdentity = {
      kind: "config",
      key: this.key,
      program_serial_number: this.programSerialNumber,
      account_id: this.accountId === undefined ? "" : String(this.accountId),
      product_type_id: String(this.product.productTypeId),
      api_url: this.endpoints.apiUrl,
      auth_url: this.endpoints.authUrl,
    };
    const settings: ConfigSettings = { name: props.name.trim(), parameters: formatParameters(this.product.parameters) };
    this.resource = new LocalCustomResource(this, "Resource", {
      identity: { ...identity },
      settings: { ...settings },
      resourceType: this.lifecycleResourceType,
      detectDrift: this.detectDrift,
      ...(props.adoptConfigId === undefined ? {} : { adoption: { config_id: String(props.adoptConfigId) } }),
    });
    this.dependables = [...this.resource.steps];
  }

  /** FortiFlex configuration id (known after apply). */
  get configId(): string {
    return this.resource.attribute("id");
  }

  /** ACTIVE or DISABLED, as FortiFlex reports it. */
  get status(): string {
    return this.resource.attribute("status");
  }
}
