import { Construct, type IConstruct } from "constructs";
import { formatParameters } from "../contract/parameter-list";
import type { ConfigIdentity, ConfigSettings } from "../contract/handler-contract";
import type { ProductForm } from "../contract/product-catalog";
import { FortiFlexProduct } from "./fortiflex-product";
import type { FortiFlexEndpoints, ResolvedFortiFlexEndpoints } from "./fortiflex-endpoints";
import { resolveEndpoints } from "./private/fortiflex-runtime";
import { LifecycleResourceType } from "./lifecycle-resource-type";
import { LocalCustomResource } from "./private/local-custom-resource";
import { claimAdoption, claimKey, defaultObjectKey } from "./private/object-identity";
import { checkFramework } from "./private/framework";
import { configurationSettingsSummary } from "./private/settings-summary";
import { wireConfiguration } from "./private/configuration-wiring";
import { validateConfigurationProps, validateExistingConfigurationProps } from "./private/validate-fortiflex-configuration-props";

/**
 * A FortiFlex configuration that entitlements can use: one this stack manages (`FortiFlexConfiguration`) or
 * one made elsewhere (`FortiFlexConfiguration.fromConfigId`).
 */
export interface IFortiFlexConfiguration extends IConstruct {
  /** FortiFlex program serial number. */
  readonly programSerialNumber: string;
  /** @default - the API user's own account */
  readonly accountId?: number;
  /** The product type id; undefined when not known. */
  readonly productTypeId?: number;
  /** The product's form ("vm" takes VM entitlements); undefined when not known. */
  readonly productForm?: ProductForm;
  /** The product type's FortiFlex name, for messages. */
  readonly productTypeName: string;
  /** Where its FortiFlex API and token endpoint are. */
  readonly endpoints: ResolvedFortiFlexEndpoints;
  /** FortiFlex configuration id (known after apply when managed here). */
  readonly configId: string;
}

/** A configuration made elsewhere, referred to by id; this stack never changes or disables it. */
export interface ExistingFortiFlexConfigurationProps {
  /** Its FortiFlex id. */
  readonly configId: number;
  /** FortiFlex program serial number, e.g. "ELAVMS0000000518". */
  readonly programSerialNumber: string;
  /** @default - the API user's own account */
  readonly accountId?: number;
  /** Its product type id, checked against the catalog (an entitlement needs a VM product). @default - not checked here */
  readonly productTypeId?: number;
  /** @default - Fortinet's FortiFlex service (synth never reads endpoints from the environment) */
  readonly endpoints?: FortiFlexEndpoints;
  /** For the entitlements on it. @default LifecycleResourceType.NULL_RESOURCE */
  readonly lifecycleResource?: LifecycleResourceType;
  /** For the entitlements on it. @default true */
  readonly detectDrift?: boolean;
}

/** Props of a FortiFlex configuration managed by this stack. */
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
  /** @default - Fortinet's FortiFlex service (synth never reads endpoints from the environment) */
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
export class FortiFlexConfiguration extends Construct implements IFortiFlexConfiguration {
  /**
   * A configuration made elsewhere (the FortiFlex portal, another tool), by id: entitlements of this stack
   * can use it; the stack never changes or disables it (to take it over, use `adoptConfigId`).
   */
  static fromConfigId(scope: Construct, id: string, props: ExistingFortiFlexConfigurationProps): IFortiFlexConfiguration {
    return new ExistingConfiguration(scope, id, props);
  }

  /** The identity written into the FortiFlex object ("<stack>/<path>" unless given). */
  readonly key: string;
  /** FortiFlex program serial number. */
  readonly programSerialNumber: string;
  /** The member account; undefined for the API user's own. */
  readonly accountId?: number;
  /** Product type and parameters. */
  readonly product: FortiFlexProduct;
  /** Where its FortiFlex API and token endpoint are. */
  readonly endpoints: ResolvedFortiFlexEndpoints;
  private readonly resource: LocalCustomResource;

  constructor(scope: Construct, id: string, props: FortiFlexConfigurationProps) {
    super(scope, id);
    checkFramework(this, "FortiFlexConfiguration");
    validateConfigurationProps(this, props);
    if (props.adoptConfigId !== undefined) claimAdoption(this, "adoptConfigId", `configuration ${props.adoptConfigId}`);
    this.key = props.key ?? defaultObjectKey(this);
    claimKey(this, this.key);
    this.programSerialNumber = props.programSerialNumber;
    this.accountId = props.accountId;
    this.product = props.product;
    this.endpoints = resolveEndpoints(this, props.endpoints);
    const lifecycleResourceType = props.lifecycleResource ?? LifecycleResourceType.NULL_RESOURCE;
    const detectDrift = props.detectDrift ?? true;

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
      optIns: this.endpoints,
      settings: { ...settings },
      settingsSummary: configurationSettingsSummary(settings.name, this.product.productTypeId, this.product.parameters),
      resourceType: lifecycleResourceType,
      detectDrift,
      ...(props.adoptConfigId === undefined ? {} : { adoption: { config_id: String(props.adoptConfigId) } }),
    });
    // Entitlements depend on the steps that bring the configuration into shape.
    wireConfiguration(this, { reference: this.key, lifecycleResourceType, detectDrift, dependables: [...this.resource.steps] });
  }

  /** FortiFlex configuration id (known after apply). */
  get configId(): string {
    return this.resource.attribute("id");
  }

  /** The product type id. */
  get productTypeId(): number {
    return this.product.productTypeId;
  }

  /** "vm", "hardware" or "cloud" (undefined for an unvalidated custom product). */
  get productForm(): ProductForm | undefined {
    return this.product.form;
  }

  /** The product type's FortiFlex name, e.g. "FGT_VM_Bundle". */
  get productTypeName(): string {
    return this.product.productTypeName;
  }

  /** ACTIVE or DISABLED, as FortiFlex reports it. */
  get status(): string {
    return this.resource.attribute("status");
  }
}

class ExistingConfiguration extends Construct implements IFortiFlexConfiguration {
  readonly programSerialNumber: string;
  readonly accountId?: number;
  readonly productTypeId?: number;
  readonly productForm?: ProductForm;
  readonly productTypeName: string;
  readonly endpoints: ResolvedFortiFlexEndpoints;
  readonly configId: string;

  constructor(scope: Construct, id: string, props: ExistingFortiFlexConfigurationProps) {
    super(scope, id);
    checkFramework(this, "FortiFlexConfiguration.fromConfigId");
    const product = validateExistingConfigurationProps(this, props);
    this.programSerialNumber = props.programSerialNumber;
    this.accountId = props.accountId;
    this.configId = String(props.configId);
    this.productTypeId = props.productTypeId;
    this.productForm = product?.form;
    this.productTypeName = product?.name ?? `configuration ${props.configId}`;
    this.endpoints = resolveEndpoints(this, props.endpoints);
    wireConfiguration(this, {
      reference: `#${props.configId}`,
      lifecycleResourceType: props.lifecycleResource ?? LifecycleResourceType.NULL_RESOURCE,
      detectDrift: props.detectDrift ?? true,
      dependables: [],
    });
  }
}
