/**
 * The FortiFlex API v2 operations this project uses: the path after the API base (ENDPOINT_PATHS.api) and the
 * key of the list in the answer's envelope. The client sends them, the simulator answers them.
 */
export const API = {
  programsList: { path: "programs/list", key: "programs" },
  configsList: { path: "configs/list", key: "configs" },
  configsCreate: { path: "configs/create", key: "configs" },
  configsUpdate: { path: "configs/update", key: "configs" },
  configsEnable: { path: "configs/enable", key: "configs" },
  configsDisable: { path: "configs/disable", key: "configs" },
  entitlementsList: { path: "entitlements/list", key: "entitlements" },
  entitlementsVmCreate: { path: "entitlements/vm/create", key: "entitlements" },
  entitlementsUpdate: { path: "entitlements/update", key: "entitlements" },
  entitlementsStop: { path: "entitlements/stop", key: "entitlements" },
  entitlementsReactivate: { path: "entitlements/reactivate", key: "entitlements" },
  entitlementsVmToken: { path: "entitlements/vm/token", key: "entitlements" },
  entitlementsPoints: { path: "entitlements/points", key: "entitlements" },
  toolsCalc: { path: "tools/calc", key: "configs" },
  groupsList: { path: "groups/list", key: "groups" },
  groupsNextToken: { path: "groups/nexttoken", key: "entitlements" },
} as const;

export type ApiOperation = (typeof API)[keyof typeof API];

/** Operations that change nothing in FortiFlex: all a read-only API user may call, and all a plan may send. */
export const READ_OPERATIONS: ReadonlySet<string> = new Set(
  [API.programsList, API.configsList, API.entitlementsList, API.entitlementsPoints, API.toolsCalc, API.groupsList].map((op) => op.path),
);
