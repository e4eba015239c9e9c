/** The status an entitlement should have while its stack exists. */
export enum EntitlementDesiredStatus {
  /** In service (PENDING until a VM uses the token). */
  ACTIVE = "ACTIVE",
  /** Standby: kept but not charged (e.g. the passive member of a pair). */
  STOPPED = "STOPPED",
}
