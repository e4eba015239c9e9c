/**
 * Request and response shapes of FortiFlex REST API v2, as Fortinet's own clients send and read them.
 * Ids and counts may be sent as numbers or numeric strings; the API returns parameter values as strings.
 */

export type NumericId = number | string;

export type ConfigStatus = "ACTIVE" | "DISABLED";
export type EntitlementStatus = "PENDING" | "ACTIVE" | "STOPPED" | "EXPIRED";
export type TokenStatus = "USED" | "NOTUSED" | "";

export interface Program {
  accountId: number;
  serialNumber: string;
  startDate: string;
  endDate: string;
  hasSupportCoverage: boolean;
}

export interface ConfigParameter {
  id: number;
  name?: string;
  value: string;
}

export interface Config {
  id: number;
  name: string;
  status: ConfigStatus;
  accountId: number;
  programSerialNumber: string;
  productType: { id: number; name: string };
  parameters: ConfigParameter[];
}

export interface Entitlement {
  serialNumber: string;
  configId: number;
  accountId: number;
  description: string | null;
  startDate: string;
  endDate: string;
  status: EntitlementStatus;
  token: string;
  tokenStatus: TokenStatus;
}

export interface PointsRow {
  accountId: number;
  serialNumber: string;
  points: number;
}

export interface Group {
  accountId?: number;
  folderPath: string;
  availableTokens: number;
  usedTokens: number;
}

export interface CalcResult {
  current: number;
  latest: number | null;
  latestEffectiveDate: string | null;
}

export interface ParameterInput {
  id: number;
  value: string | number;
}

export interface ConfigsListRequest {
  programSerialNumber: string;
  accountId?: NumericId;
}
export interface ConfigsCreateRequest {
  programSerialNumber: string;
  accountId?: NumericId;
  name: string;
  productTypeId: NumericId;
  parameters: ParameterInput[];
}
export interface ConfigsUpdateRequest {
  id: NumericId;
  name?: string;
  parameters?: ParameterInput[];
}

export interface EntitlementsListRequest {
  configId?: NumericId;
  accountId?: NumericId;
  programSerialNumber?: string;
  description?: string;
  serialNumber?: string;
  status?: EntitlementStatus;
  tokenStatus?: "USED" | "NOTUSED";
}
export interface EntitlementsVmCreateRequest {
  configId: NumericId;
  count?: NumericId;
  description?: string;
  endDate?: string | null;
  folderPath?: string;
  skipPending?: boolean;
}
export interface EntitlementsUpdateRequest {
  serialNumber: string;
  configId: NumericId;
  description?: string;
  endDate?: string;
}
export interface EntitlementsPointsRequest {
  startDate: string;
  endDate: string;
  configId?: NumericId;
  accountId?: NumericId;
  programSerialNumber?: string;
  serialNumber?: string;
}
export interface ToolsCalcRequest {
  programSerialNumber: string;
  productTypeId: NumericId;
  count: NumericId;
  parameters: ParameterInput[];
}
export interface GroupsNextTokenRequest {
  accountId?: NumericId;
  configId?: NumericId;
  folderPath?: string;
  status?: EntitlementStatus[];
}

/** The token endpoint's answer (note: `status` is the string "success" here, not 0). */
export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: string;
  scope: string;
  refresh_token: string;
  message: string;
  status: string;
}

/** Envelope of every FortiFlex API answer. */
export interface ApiEnvelope {
  status: number | string;
  message: string;
  error: null | { errorCode?: number; [key: string]: unknown };
  [dataKey: string]: unknown;
}
