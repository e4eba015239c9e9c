import { FortiFlexVmEntitlement } from "./fortiflex-vm-entitlement";

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
    /** The entitlement of this stack the token comes from; undefined for a token obtained elsewhere. */
    readonly entitlement?: FortiFlexVmEntitlement,
  ) {}

  /** The token as a Terraform reference (an entitlement's is read on first use; a VM reads its own after its boot step). */
  get token(): string {
    return this.given ?? this.entitlement!.licenseToken;
  }
}
