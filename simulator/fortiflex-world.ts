import * as crypto from "node:crypto";
import type { Config, Entitlement, EntitlementStatus, Group, PointsRow, Program } from "../contract/api-types";
import { parameterProblems, withDefaults, type GivenParameter } from "./parameter-check";
import { dailyRate } from "./points-rates";
import { reportedName, simProduct } from "./product-parameters";

/**
 * The simulated FortiFlex service: accounts, API users, programs, configurations and entitlements, with
 * the lifecycle rules of the facts file. Everything here is plain JSON so it can be saved to a file.
 *
 * Error texts and codes are not published by Fortinet; the ones below are plausible (INFERRED).
 */

export class SimError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly errorCode: number,
  ) {
    super(message);
  }
}

export const ERROR_CODES = { invalid: 1001, notFound: 1004, state: 1005, permission: 1003, points: 1006, auth: 401 } as const;

const bad = (message: string) => new SimError(400, message, ERROR_CODES.invalid);
const notFound = (message: string) => new SimError(400, message, ERROR_CODES.notFound);
const wrongState = (message: string) => new SimError(400, message, ERROR_CODES.state);

export interface SimAccount {
  id: number;
  parentId?: number;
  name: string;
}
export interface SimUser {
  username: string;
  password: string;
  accountId: number;
  access: "ReadWrite" | "ReadOnly";
}
export interface SimEntitlement extends Entitlement {
  programSerialNumber: string;
  folderPath: string;
  /** Periods in which the entitlement was ACTIVE (epoch ms; `to` absent while still active). */
  activity: { from: number; to?: number }[];
}
export interface WorldState {
  accounts: SimAccount[];
  users: SimUser[];
  programs: Program[];
  configs: Config[];
  entitlements: SimEntitlement[];
  nextConfigId: number;
  nextSerial: number;
  /** Added to the wall clock, so tests can move time forward. */
  clockOffsetMs: number;
  /**
   * Remaining points of prepaid programs, by serial number (set through the control endpoint; accrual
   * does not draw it down). Programs not listed are postpaid, without a limit.
   */
  pointsBalance?: Record<string, number>;
}

const DAY_MS = 86_400_000;
/** FortiFlex counts points per Pacific day; the simulator uses a fixed UTC-8 day (no DST, INFERRED). */
const PACIFIC_OFFSET_MS = -8 * 3_600_000;

export interface SeedInfo {
  username: string;
  password: string;
  accountId: number;
  memberAccountIds: number[];
  programSerialNumber: string;
  /** A second, unrelated tenant: for isolation tests. */
  otherTenant: { username: string; password: string; accountId: number; programSerialNumber: string };
  readOnly: { username: string; password: string };
}

export class FortiFlexWorld {
  constructor(public state: WorldState) {}

  /** A world with one MSSP tenant (three member accounts), a read-only user and one unrelated tenant. */
  static seeded(now = Date.now(), password = crypto.randomBytes(12).toString("base64url")): { world: FortiFlexWorld; seed: SeedInfo } {
    const day = (offsetDays: number) => new Date(now + offsetDays * DAY_MS).toISOString().slice(0, 10) + "T00:00:00";
    const seed: SeedInfo = {
      username: "sim-mssp-api-user",
      password,
      accountId: 1525959,
      memberAccountIds: [1525960, 1525961, 1525962, 1525963],
      programSerialNumber: "ELAVMS0000000518",
      otherTenant: { username: "sim-other-tenant-user", password: `${password}-other`, accountId: 2000001, programSerialNumber: "ELAVMR0000000777" },
      readOnly: { username: "sim-readonly-user", password: `${password}-ro` },
    };
    const state: WorldState = {
      accounts: [
        { id: seed.accountId, name: "Demo MSSP" },
        ...seed.memberAccountIds.map((id, i) => ({ id, parentId: seed.accountId, name: `Demo customer ${i + 1}` })),
        { id: seed.otherTenant.accountId, name: "Unrelated tenant" },
      ],
      users: [
        { username: seed.username, password: seed.password, accountId: seed.accountId, access: "ReadWrite" },
        { username: seed.readOnly.username, password: seed.readOnly.password, accountId: seed.accountId, access: "ReadOnly" },
        { username: seed.otherTenant.username, password: seed.otherTenant.password, accountId: seed.otherTenant.accountId, access: "ReadWrite" },
      ],
      programs: [
        { accountId: seed.accountId, serialNumber: seed.programSerialNumber, startDate: day(-400), endDate: day(3 * 365), hasSupportCoverage: true },
        {
          accountId: seed.otherTenant.accountId,
          serialNumber: seed.otherTenant.programSerialNumber,
          startDate: day(-30),
          endDate: day(365),
          hasSupportCoverage: true,
        },
      ],
      configs: [],
      entitlements: [],
      nextConfigId: 39712,
      nextSerial: 8315,
      clockOffsetMs: 0,
    };
    return { world: new FortiFlexWorld(state), seed };
  }

  now(): number {
    return Date.now() + this.state.clockOffsetMs;
  }

  user(username: string): SimUser | undefined {
    return this.state.users.find((u) => u.username === username);
  }

  /** Accounts a user may see and act on: its own, plus the member accounts of an MSSP root. */
  visibleAccounts(user: SimUser): Set<number> {
    const ids = new Set([user.accountId]);
    for (const a of this.state.accounts) if (a.parentId === user.accountId) ids.add(a.id);
    return ids;
  }

  // Programs -------------------------------------------------------------------------------------------
  listPrograms(user: SimUser): Program[] {
    const visible = this.visibleAccounts(user);
    const root = this.state.accounts.find((a) => a.id === user.accountId)?.parentId;
    return this.state.programs.filter((p) => visible.has(p.accountId) || p.accountId === root);
  }

  private program(user: SimUser, serialNumber: unknown): Program {
    if (typeof serialNumber !== "string" || !serialNumber) throw bad("programSerialNumber is required.");
    const program = this.listPrograms(user).find((p) => p.serialNumber === serialNumber);
    if (!program) throw notFound(`Program ${serialNumber} not found.`);
    return program;
  }

  private account(user: SimUser, accountId: unknown): number {
    if (accountId === undefined || accountId === null || accountId === "") return user.accountId;
    const id = toInt(accountId, "accountId");
    if (!this.visibleAccounts(user).has(id)) throw notFound(`Account ${id} not found.`);
    return id;
  }

  // Configurations -------------------------------------------------------------------------------------
  listConfigs(user: SimUser, body: Record<string, unknown>): Config[] {
    const program = this.program(user, body.programSerialNumber);
    const visible = this.visibleAccounts(user);
    const accountId = body.accountId === undefined ? undefined : this.account(user, body.accountId);
    return this.state.configs.filter(
      (c) => c.programSerialNumber === program.serialNumber && visible.has(c.accountId) && (accountId === undefined || c.accountId === accountId),
    );
  }

  createConfig(user: SimUser, body: Record<string, unknown>): Config {
    const program = this.program(user, body.programSerialNumber);
    const accountId = this.account(user, body.accountId);
    const name = requireName(body.name);
    const productTypeId = toInt(body.productTypeId, "productTypeId");
    const product = simProduct(productTypeId);
    if (!product) throw bad(`Invalid productTypeId ${productTypeId}.`);
    const parameters = this.validParameters(productTypeId, body.parameters);
    const config: Config = {
      id: this.state.nextConfigId++,
      name,
      status: "ACTIVE",
      accountId,
      programSerialNumber: program.serialNumber,
      productType: { id: product.id, name: product.name },
      parameters,
    };
    this.state.configs.push(config);
    return config;
  }

  updateConfig(user: SimUser, body: Record<string, unknown>): Config {
    const config = this.config(user, body.id);
    if (body.productTypeId !== undefined && toInt(body.productTypeId, "productTypeId") !== config.productType.id) {
      throw bad("The product type of a configuration cannot be changed.");
    }
    if (body.name !== undefined) config.name = requireName(body.name);
    if (body.parameters !== undefined) config.parameters = this.validParameters(config.productType.id, body.parameters);
    return config;
  }

  setConfigStatus(user: SimUser, body: Record<string, unknown>, status: "ACTIVE" | "DISABLED"): Config {
    const config = this.config(user, body.id);
    config.status = status;
    return config;
  }

  private config(user: SimUser, id: unknown): Config {
    const configId = toInt(id, id === undefined ? "id" : "configId");
    const config = this.state.configs.find((c) => c.id === configId && this.visibleAccounts(user).has(c.accountId));
    if (!config) throw notFound(`Configuration ${configId} not found.`);
    return config;
  }

  private validParameters(productTypeId: number, raw: unknown): Config["parameters"] {
    if (!Array.isArray(raw)) throw bad("parameters must be a list of {id, value}.");
    const given: GivenParameter[] = raw.map((p) => {
      if (!p || typeof p !== "object") throw bad("parameters must be a list of {id, value}.");
      const { id, value } = p as { id: unknown; value: unknown };
      if (typeof value !== "string" && typeof value !== "number") throw bad(`Parameter id ${String(id)}: value is required.`);
      return { id: toInt(id, "parameter id"), value: String(value) };
    });
    const product = simProduct(productTypeId)!;
    const problems = parameterProblems(product, given);
    if (problems.length) throw bad(`${problems[0]}.`);
    return withDefaults(product, given).map((p) => ({ id: p.id, name: reportedName(product.parameters.find((s) => s.id === p.id)!), value: p.value }));
  }

  // Entitlements ---------------------------------------------------------------------------------------
  /** ACTIVE and PENDING entitlements expire once their termination day has passed (Pacific time). */
  private refreshExpiry(): void {
    const today = pacificDay(this.now());
    for (const e of this.state.entitlements) {
      if (e.status !== "ACTIVE" && e.status !== "PENDING") continue;
      const endDay = Math.floor(Date.parse(`${e.endDate.slice(0, 19)}Z`) / DAY_MS);
      if (today > endDay) {
        this.closeActivity(e, pacificMidnight(endDay + 1));
        e.status = "EXPIRED";
      }
    }
  }

  listEntitlements(user: SimUser, body: Record<string, unknown>): SimEntitlement[] {
    this.refreshExpiry();
    let items: SimEntitlement[];
    if (body.configId !== undefined && body.configId !== null && body.configId !== "") {
      const config = this.config(user, body.configId);
      items = this.state.entitlements.filter((e) => e.configId === config.id);
    } else if (body.accountId !== undefined && body.programSerialNumber !== undefined) {
      const accountId = this.account(user, body.accountId);
      const program = this.program(user, body.programSerialNumber);
      items = this.state.entitlements.filter((e) => e.accountId === accountId && e.programSerialNumber === program.serialNumber);
    } else {
      throw bad("Either configId or (accountId and programSerialNumber) should be provided.");
    }
    const filters: [string, (e: SimEntitlement) => unknown][] = [
      ["description", (e) => e.description],
      ["serialNumber", (e) => e.serialNumber],
      ["status", (e) => e.status],
      ["tokenStatus", (e) => e.tokenStatus],
    ];
    for (const [key, get] of filters) {
      if (body[key] !== undefined && body[key] !== null && body[key] !== "") items = items.filter((e) => get(e) === body[key]);
    }
    return items;
  }

  createVmEntitlements(user: SimUser, body: Record<string, unknown>): SimEntitlement[] {
    const config = this.config(user, body.configId);
    const product = simProduct(config.productType.id)!;
    if (product.form !== "vm") throw bad(`Configuration ${config.id} is not a virtual machine product.`);
    if (config.status !== "ACTIVE") throw wrongState(`Configuration ${config.id} is disabled.`);
    const count = body.count === undefined ? 1 : toInt(body.count, "count");
    if (count < 1 || count > 100) throw bad("count must be between 1 and 100.");
    const program = this.state.programs.find((p) => p.serialNumber === config.programSerialNumber)!;
    const endDate = body.endDate ? this.validEndDate(body.endDate, program) : program.endDate;
    if (body.description !== undefined && body.description !== null && typeof body.description !== "string") throw bad("description must be a string.");
    const created: SimEntitlement[] = [];
    for (let i = 0; i < count; i++) {
      const e: SimEntitlement = {
        serialNumber: `FGVMELTM${String(new Date(this.now()).getUTCFullYear()).slice(2)}${String(this.state.nextSerial++).padStart(6, "0")}`,
        configId: config.id,
        accountId: config.accountId,
        description: (body.description as string | undefined) || null,
        startDate: new Date(this.now()).toISOString().slice(0, 23),
        endDate,
        status: "PENDING",
        token: newLicenseToken(),
        tokenStatus: "NOTUSED",
        programSerialNumber: config.programSerialNumber,
        folderPath: typeof body.folderPath === "string" && body.folderPath ? body.folderPath : "My Assets",
        activity: [],
      };
      if (body.skipPending === true || body.skipPending === "true") this.activate(e);
      this.state.entitlements.push(e);
      created.push(e);
    }
    return created;
  }

  updateEntitlement(user: SimUser, body: Record<string, unknown>): SimEntitlement {
    const e = this.entitlement(user, body.serialNumber);
    if (body.configId === undefined || body.configId === null || body.configId === "") throw bad("configId is required.");
    const target = this.config(user, body.configId);
    const current = this.state.configs.find((c) => c.id === e.configId)!;
    if (target.productType.id !== current.productType.id) throw bad("An entitlement can only move to a configuration of the same product type.");
    if (target.accountId !== e.accountId) throw bad("An entitlement can only move to a configuration of its own account.");
    if (e.status === "EXPIRED") throw wrongState(`Entitlement ${e.serialNumber} is expired and cannot be edited.`);
    if (body.endDate !== undefined && body.endDate !== null && body.endDate !== "") {
      if (e.status === "STOPPED") throw wrongState(`The termination date of a STOPPED entitlement cannot be changed.`);
      e.endDate = this.validEndDate(
        body.endDate,
        this.state.programs.find((p) => p.serialNumber === e.programSerialNumber)!,
      );
    }
    if (body.description !== undefined) e.description = body.description === null || body.description === "" ? null : String(body.description);
    e.configId = target.id;
    return e;
  }

  stopEntitlement(user: SimUser, body: Record<string, unknown>): SimEntitlement {
    const e = this.entitlement(user, body.serialNumber);
    if (e.status !== "ACTIVE" && e.status !== "PENDING") throw wrongState(`Entitlement ${e.serialNumber} is ${e.status} and cannot be stopped.`);
    this.closeActivity(e, this.now());
    e.status = "STOPPED";
    e.endDate = pacificTimestamp(this.now());
    return e;
  }

  reactivateEntitlement(user: SimUser, body: Record<string, unknown>): SimEntitlement {
    const e = this.entitlement(user, body.serialNumber);
    if (e.status === "PENDING") throw wrongState(`Entitlement ${e.serialNumber} is PENDING and could not be modified.`);
    if (e.status !== "STOPPED") throw wrongState(`Entitlement ${e.serialNumber} is ${e.status}; only STOPPED entitlements can be reactivated.`);
    const config = this.state.configs.find((c) => c.id === e.configId)!;
    if (config.status !== "ACTIVE") throw wrongState(`Configuration ${config.id} is disabled.`);
    this.activate(e);
    e.endDate = this.state.programs.find((p) => p.serialNumber === e.programSerialNumber)!.endDate;
    return e;
  }

  regenerateToken(user: SimUser, body: Record<string, unknown>): SimEntitlement {
    const e = this.entitlement(user, body.serialNumber);
    if (e.status === "EXPIRED") throw wrongState(`Entitlement ${e.serialNumber} is expired.`);
    e.token = newLicenseToken();
    e.tokenStatus = "NOTUSED";
    return e;
  }

  /** What a FortiGate does at first boot with the token in its custom data. */
  useToken(token: string): SimEntitlement {
    this.refreshExpiry();
    const e = this.state.entitlements.find((x) => x.token === token);
    if (!e) throw notFound("Unknown license token.");
    if (e.tokenStatus === "USED") throw wrongState("License token was already used.");
    if (e.status === "STOPPED" || e.status === "EXPIRED") throw wrongState(`Entitlement ${e.serialNumber} is ${e.status}.`);
    e.tokenStatus = "USED";
    if (e.status === "PENDING") this.activate(e);
    return e;
  }

  points(user: SimUser, body: Record<string, unknown>): PointsRow[] {
    const start = parseDay(body.startDate, "startDate");
    const end = parseDay(body.endDate, "endDate");
    if (end < start) throw bad("endDate must not be before startDate.");
    let items: SimEntitlement[];
    if (body.serialNumber) items = [this.entitlement(user, body.serialNumber)];
    else if (body.configId !== undefined) items = this.listEntitlements(user, { configId: body.configId });
    else if (body.accountId !== undefined && body.programSerialNumber !== undefined) items = this.listEntitlements(user, body);
    else if (body.accountId !== undefined) {
      const accountId = this.account(user, body.accountId);
      items = this.state.entitlements.filter((e) => e.accountId === accountId);
    } else throw bad("Either configId or (accountId and programSerialNumber) should be provided.");
    this.refreshExpiry();
    return items.map((e) => {
      const config = this.state.configs.find((c) => c.id === e.configId)!;
      const days = this.activeDays(e, start, end);
      return {
        accountId: e.accountId,
        serialNumber: e.serialNumber,
        points: Math.round(days * dailyRate(config.productType.id, config.parameters) * 100) / 100,
      };
    });
  }

  /** Pacific days in [startDay, endDay] (day numbers) during which the entitlement was ACTIVE at all. */
  activeDays(e: SimEntitlement, startDay: number, endDay: number): number {
    const days = new Set<number>();
    let total = 0;
    for (const span of e.activity) {
      const from = Math.max(startDay, pacificDay(span.from));
      const to = Math.min(endDay, pacificDay(span.to ?? this.now()));
      for (let d = from; d <= to; d++) {
        if (!days.has(d)) {
          days.add(d);
          total++;
        }
      }
    }
    return total;
  }

  calc(user: SimUser, body: Record<string, unknown>): { current: number; latest: null; latestEffectiveDate: null } {
    this.program(user, body.programSerialNumber);
    const productTypeId = toInt(body.productTypeId, "productTypeId");
    const product = simProduct(productTypeId);
    if (!product) throw bad(`Invalid productTypeId ${productTypeId}.`);
    const count = toInt(body.count ?? 1, "count");
    if (count < 1) throw bad("count must be at least 1.");
    if (product.form === "cloud" && count !== 1) throw bad("count should be 1 for cloud products.");
    const parameters = this.validParameters(productTypeId, body.parameters);
    return { current: Math.round(dailyRate(productTypeId, parameters) * count * 100) / 100, latest: null, latestEffectiveDate: null };
  }

  groups(user: SimUser, accountId: unknown): Group[] {
    this.refreshExpiry();
    const accounts = accountId === undefined ? this.visibleAccounts(user) : new Set([this.account(user, accountId)]);
    const byFolder = new Map<string, Group>();
    for (const e of this.state.entitlements) {
      if (!accounts.has(e.accountId) || !e.token) continue;
      const key = `${e.accountId}\n${e.folderPath}`;
      const group = byFolder.get(key) ?? {
        ...(accountId === undefined ? {} : { accountId: e.accountId }),
        folderPath: e.folderPath,
        availableTokens: 0,
        usedTokens: 0,
      };
      if (e.tokenStatus === "USED") group.usedTokens++;
      else if (e.status !== "EXPIRED") group.availableTokens++;
      byFolder.set(key, group);
    }
    return [...byFolder.values()];
  }

  nextToken(user: SimUser, body: Record<string, unknown>): SimEntitlement {
    this.refreshExpiry();
    // Fortinet's Python client sends every field, null when not given (folderPath: null, accountId: null).
    const given = (v: unknown) => v !== undefined && v !== null;
    if (!given(body.accountId) && !given(body.configId)) throw bad("Either accountId or configId is required.");
    const accounts = !given(body.accountId) ? this.visibleAccounts(user) : new Set([this.account(user, body.accountId)]);
    const configId = !given(body.configId) ? undefined : this.config(user, body.configId).id;
    const statuses = Array.isArray(body.status) && body.status.length ? (body.status as EntitlementStatus[]) : undefined;
    const found = this.state.entitlements.find(
      (e) =>
        accounts.has(e.accountId) &&
        e.tokenStatus === "NOTUSED" &&
        e.token !== "" &&
        e.status !== "EXPIRED" &&
        (configId === undefined || e.configId === configId) &&
        (!given(body.folderPath) || e.folderPath === body.folderPath) &&
        (!statuses || statuses.includes(e.status)),
    );
    if (!found) throw notFound("No available token found.");
    return found;
  }

  private entitlement(user: SimUser, serialNumber: unknown): SimEntitlement {
    this.refreshExpiry();
    if (typeof serialNumber !== "string" || !serialNumber) throw bad("serialNumber is required.");
    const e = this.state.entitlements.find((x) => x.serialNumber === serialNumber && this.visibleAccounts(user).has(x.accountId));
    if (!e) throw notFound(`Entitlement ${serialNumber} not found.`);
    return e;
  }

  private validEndDate(raw: unknown, program: Program): string {
    if (typeof raw !== "string") throw bad("endDate must be a date string.");
    const t = Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw.replace(" ", "T"));
    if (Number.isNaN(t)) throw bad(`endDate "${raw}" is not an ISO 8601 date.`);
    const today = Math.floor(this.now() / DAY_MS) * DAY_MS;
    if (t < today) throw bad("endDate can not be before today's date or after the program's end date.");
    if (t > Date.parse(`${program.endDate}Z`)) throw bad("endDate can not be before today's date or after the program's end date.");
    return new Date(t).toISOString().slice(0, 19);
  }

  /**
   * Prepaid programs with no points left cannot start charging. The real error text is not published;
   * this one is INFERRED.
   */
  private requirePoints(programSerialNumber: string): void {
    const balance = this.state.pointsBalance?.[programSerialNumber];
    if (balance !== undefined && balance <= 0) throw new SimError(400, `Insufficient points in program ${programSerialNumber}.`, ERROR_CODES.points);
  }

  private activate(e: SimEntitlement): void {
    this.requirePoints(e.programSerialNumber);
    e.status = "ACTIVE";
    e.activity.push({ from: this.now() });
  }

  private closeActivity(e: SimEntitlement, at: number): void {
    const open = e.activity.find((a) => a.to === undefined);
    if (open) open.to = at;
  }
}

/** The public form of an entitlement (simulator bookkeeping removed). */
export function publicEntitlement(e: SimEntitlement): Entitlement {
  const { serialNumber, configId, accountId, description, startDate, endDate, status, token, tokenStatus } = e;
  return { configId, description, endDate, serialNumber, startDate, status, token, tokenStatus, accountId };
}

function toInt(value: unknown, field: string): number {
  const n = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n)) throw bad(`${field} must be an integer.`);
  return n;
}

function requireName(value: unknown): string {
  if (typeof value !== "string" || !value.trim()) throw bad("name is required.");
  if (value.length > 200) throw bad("name must be at most 200 characters.");
  return value;
}

function newLicenseToken(): string {
  return crypto.randomBytes(10).toString("hex").toUpperCase();
}

export function pacificDay(epochMs: number): number {
  return Math.floor((epochMs + PACIFIC_OFFSET_MS) / DAY_MS);
}

/** The instant a Pacific day (a `pacificDay` number) begins. */
export function pacificMidnight(day: number): number {
  return day * DAY_MS - PACIFIC_OFFSET_MS;
}

function parseDay(raw: unknown, field: string): number {
  if (typeof raw !== "string" || !raw) throw bad(`${field} is required.`);
  const t = Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw.replace(" ", "T"));
  if (Number.isNaN(t)) throw bad(`${field} "${raw}" is not an ISO 8601 date.`);
  return Math.floor(t / DAY_MS);
}

/** Stop timestamps look like "2025-08-07T15:04:32.6531463-08:00" (Pacific time, 7 fraction digits). */
export function pacificTimestamp(epochMs: number): string {
  const local = new Date(epochMs + PACIFIC_OFFSET_MS).toISOString().slice(0, 23);
  return `${local}0000-08:00`;
}
