import { Token } from "cdktf";
import type { Construct } from "constructs";
import { FortiFlexVmEntitlement } from "./fortiflex-vm-entitlement";
import { ValidationError } from "./validation-error";

/** Where a FortiGate VM's FortiFlex license token comes from. */
export class FortiGateLicense {
  /**
   * The token of a FortiFlex VM entitlement managed in the same stack (a sensitive value). Regenerating
   * it (the entitlement's `tokenGeneration`) rebuilds the VM, which must boot with the new one-time token.
   */
  static fromEntitlement(entitlement: FortiFlexVmEntitlement): FortiGateLicense {
    return new FortiGateLicense(undefined, entitlement);
  }

  /**
   * A token obtained elsewhere, passed as a Terraform reference such as a sensitive `TerraformVariable`'s
   * value. A literal token is refused: it would be written in plain text into cdk.tf.json. Its freshness at
   * each boot is the caller's (an entitlement's `licenseToken` is treated as `fromEntitlement`).
   */
  static fromToken(token: string): FortiGateLicense {
    // An entitlement's own token is that entitlement: the VM gets its boot step, and only one VM may use it.
    const entitlement = FortiFlexVmEntitlement.ofLicenseToken(token);
    return entitlement ? FortiGateLicense.fromEntitlement(entitlement) : new FortiGateLicense(token);
  }

  private constructor(
    private readonly given: string | undefined,
    readonly entitlement?: FortiFlexVmEntitlement,
  ) {}

  /** The token as a Terraform reference (an entitlement's is read on first use; a VM reads its own after its boot step). */
  get token(): string {
    return this.given ?? this.entitlement!.licenseToken;
  }
}

/** The license, checked: a token only as a Terraform reference (a literal would be written to cdk.tf.json). */
export function checkLicense(scope: Construct, license: FortiGateLicense, field = "license"): FortiGateLicense {
  if (!(license instanceof FortiGateLicense))
    throw new ValidationError(scope, field, license, "FortiGateLicense.fromEntitlement(...) or FortiGateLicense.fromToken(<sensitive reference>)");
  if (!license.entitlement && !Token.isUnresolved(license.token)) {
    const looksLikeToken = /^[A-F0-9]{20}$/.test(license.token);
    throw new ValidationError(
      scope,
      field,
      looksLikeToken ? "<a literal token>" : license.token,
      looksLikeToken
        ? "a Terraform reference such as a sensitive TerraformVariable's value; a literal token would be written in plain text to cdk.tf.json"
        : "a FortiFlex license token (20 hex characters) passed as a Terraform reference",
    );
  }
  return license;
}
