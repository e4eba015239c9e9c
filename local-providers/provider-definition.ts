import type { ObjectValue, Value } from "./dynamic-value";

/** Terraform's JSON notation of a type: "string", ["list","string"], ["map","string"]. */
export type TypeNotation = string | [string, TypeNotation];

export interface AttributeSchema {
  readonly name: string;
  readonly type: TypeNotation;
  readonly description: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
}

export interface BlockSchema {
  readonly version: number;
  readonly description: string;
  readonly attributes: AttributeSchema[];
}

export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail: string;
  /** Top-level attribute the diagnostic is about. */
  readonly attribute?: string;
}

export interface PlanResult {
  readonly planned: ObjectValue | null;
  /** Attributes whose change forces replacement. */
  readonly requiresReplace?: string[];
  readonly diagnostics?: Diagnostic[];
}

export interface StateResult {
  readonly state: ObjectValue | null;
  readonly diagnostics?: Diagnostic[];
}

/** A managed resource type (e.g. null_resource). Values are objects of the schema's attributes, or null. */
export interface ManagedResourceType {
  readonly schema: BlockSchema;
  validate(config: ObjectValue): Diagnostic[];
  plan(prior: ObjectValue | null, proposed: ObjectValue | null, config: ObjectValue | null): PlanResult;
  apply(prior: ObjectValue | null, planned: ObjectValue | null): StateResult;
  read(current: ObjectValue): StateResult;
  /** A stored state (JSON, as Terraform keeps it) in the current schema. */
  upgrade(version: number, stored: Value): StateResult;
}

/** A data source type (e.g. external). Terraform only reads it with a wholly known configuration. */
export interface DataSourceType {
  readonly schema: BlockSchema;
  validate(config: ObjectValue): Diagnostic[];
  read(config: ObjectValue): Promise<StateResult>;
}

export interface ProviderDefinition {
  /** Type name, e.g. "null": resource types are "<name>_<kind>" or "<name>" itself. */
  readonly name: string;
  readonly providerSchema: BlockSchema;
  readonly resources: Record<string, ManagedResourceType>;
  readonly dataSources: Record<string, DataSourceType>;
  /** Cancels work in progress (Terraform's Stop, e.g. on Ctrl-C). */
  stop(): void;
}

export function error(summary: string, detail: string, attribute?: string): Diagnostic {
  return { severity: "error", summary, detail, attribute };
}
