import { Construct } from "constructs";
import type { FortiFlexEndpoints } from "./fortiflex-endpoints";
import { LifecycleResourceType } from "./lifecycle-resource-type";
import { checkFramework } from "./private/framework";
import { FortiFlexRuntime, resolveEndpoints } from "./private/fortiflex-runtime";
import { validateAccountId, validateProgramSerialNumber } from "./private/object-identity";
import { ValidationError } from "./validation-error";

/** Where a `FortiFlexRetirement` stops what a stack created: the program, account and endpoints the retired constructs used. */
export interface FortiFlexRetirementProps {
  /** The program the retired constructs used. */
  readonly programSerialNumber: string;
  /**
   * The member account the retired constructs used.
   * @default - the API user's own account
   */
  readonly accountId?: number;
  /**
   * The endpoints the retired constructs used: the stack's state names them, and a retirement at other
   * endpoints would stop nothing there.
   * @default - Fortinet's FortiFlex service
   */
  readonly endpoints?: FortiFlexEndpoints;
  /**
   * The lifecycle resource type the retired constructs used (their shared steps are of that type).
   * @default LifecycleResourceType.NULL_RESOURCE
   */
  readonly lifecycleResource?: LifecycleResourceType;
}

/**
 * Retires what a stack created in one FortiFlex program and account: put it in place of the configurations
 * and entitlements removed from the code, and the next apply stops every entitlement and disables every
 * configuration the stack still holds there (FortiFlex has no delete); the apply after that, or a destroy,
 * leaves nothing running. Keeps the stack's shared FortiFlex steps where they were, so retiring moves and
 * replaces nothing else.
 */
export class FortiFlexRetirement extends Construct {
  /** The retired program. */
  readonly programSerialNumber: string;
  /** The retired member account; undefined for the API user's own. */
  readonly accountId?: number;

  constructor(scope: Construct, id: string, props: FortiFlexRetirementProps) {
    super(scope, id);
    checkFramework(this, "FortiFlexRetirement");
    validateProgramSerialNumber(this, props.programSerialNumber);
    validateAccountId(this, props.accountId);
    const resourceType = props.lifecycleResource ?? LifecycleResourceType.NULL_RESOURCE;
    if (!Object.values(LifecycleResourceType).includes(resourceType))
      throw new ValidationError(this, "lifecycleResource", resourceType, `one of ${Object.values(LifecycleResourceType).join(", ")}`);
    const endpoints = resolveEndpoints(this, props.endpoints);
    this.programSerialNumber = props.programSerialNumber;
    this.accountId = props.accountId;
    FortiFlexRuntime.of(this).ownerOf(
      {
        program_serial_number: props.programSerialNumber,
        account_id: props.accountId === undefined ? "" : String(props.accountId),
        api_url: endpoints.apiUrl,
        auth_url: endpoints.authUrl,
      },
      resourceType,
      endpoints,
    );
  }
}
