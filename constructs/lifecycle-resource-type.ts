/** Which Terraform resource carries the FortiFlex steps (local-exec provisioners). */
export enum LifecycleResourceType {
  /** `null_resource` from the hashicorp/null provider (the default). */
  NULL_RESOURCE = "null_resource",
  /**
   * Terraform's built-in `terraform_data` (Terraform >= 1.4): no provider download. cdktf runs
   * `terraform version` at synth to check the version unless validations are skipped.
   */
  TERRAFORM_DATA = "terraform_data",
}
