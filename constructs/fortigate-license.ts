import type { FortiFlexVmEntitlement } from "./fortiflex-vm-entitlement";

/** Where a FortiGate VM's FortiFlex license token comes from. */
export class FortiGateLicense {
  /**
   * The token of a FortiFlex VM entitlement managed in the same stack (a sensitive value). Regenerating
   * it (the entitlement's `tokenGeneration`) rebuilds the VM, which must boot with the new one-time token.
   */
  static fromEntitlement(entitlement: FortiFlexVmEntitlement): FortiGateLicense {
    return new FortiGateLicense(entitlement.licenseToken, entitlement);
  }

  /**
   * A token obtained elsewhere, passed as a Terraform reference such as a sensitive `TerraformVariable`'s
   * value. A literal token is refused: it would be written in plain text into cdk.tf.json.
   */
  static fromToken(token: string): FortiGateLicense {
    return new FortiGateLicense(token);
  }

  private constructor(readonly token: string, readonly entitlement?: FortiFlexVmEntitlement) {}
}
