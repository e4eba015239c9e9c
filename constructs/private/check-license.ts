import { Token } from "cdktf";
import type { Construct } from "constructs";
import { FortiGateLicense } from "../fortigate-license";
import { ValidationError } from "../validation-error";

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
