import { API, type ApiOperation } from "../contract/api-operations";
import { publicEntitlement, type FortiFlexWorld, type SimUser } from "./fortiflex-world";

/** How the simulator answers one API operation: the envelope key, whether it changes the world, and the work. */
export interface ApiRoute {
  readonly key: string;
  /** Refused to read-only API users; the world is saved after it. */
  readonly writes: boolean;
  readonly run: (world: FortiFlexWorld, user: SimUser, body: Record<string, unknown>) => unknown;
}

const read = (op: ApiOperation, run: ApiRoute["run"]): [string, ApiRoute] => [op.path, { key: op.key, writes: false, run }];
const write = (op: ApiOperation, run: ApiRoute["run"]): [string, ApiRoute] => [op.path, { key: op.key, writes: true, run }];

/** The API operations the simulator answers, by path. */
export const API_ROUTES: ReadonlyMap<string, ApiRoute> = new Map([
  read(API.programsList, (w, user) => w.listPrograms(user)),
  read(API.configsList, (w, user, body) => w.listConfigs(user, body)),
  write(API.configsCreate, (w, user, body) => w.createConfig(user, body)),
  write(API.configsUpdate, (w, user, body) => w.updateConfig(user, body)),
  write(API.configsEnable, (w, user, body) => w.setConfigStatus(user, body, "ACTIVE")),
  write(API.configsDisable, (w, user, body) => w.setConfigStatus(user, body, "DISABLED")),
  read(API.entitlementsList, (w, user, body) => w.listEntitlements(user, body).map(publicEntitlement)),
  write(API.entitlementsVmCreate, (w, user, body) => w.createVmEntitlements(user, body).map(publicEntitlement)),
  write(API.entitlementsUpdate, (w, user, body) => [publicEntitlement(w.updateEntitlement(user, body))]),
  write(API.entitlementsStop, (w, user, body) => [publicEntitlement(w.stopEntitlement(user, body))]),
  write(API.entitlementsReactivate, (w, user, body) => [publicEntitlement(w.reactivateEntitlement(user, body))]),
  write(API.entitlementsVmToken, (w, user, body) => [publicEntitlement(w.regenerateToken(user, body))]),
  read(API.entitlementsPoints, (w, user, body) => w.points(user, body)),
  read(API.toolsCalc, (w, user, body) => w.calc(user, body)),
  read(API.groupsList, (w, user, body) => w.groups(user, body.accountId)),
  read(API.groupsNextToken, (w, user, body) => [publicEntitlement(w.nextToken(user, body))]),
]);
