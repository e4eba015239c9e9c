/**
 * Makes FortiFlex answers safe to hand to maintainers (`doctor --save-answers`): serial numbers, account ids
 * and configuration ids become placeholders, the same value always the same placeholder, so references between
 * answers still hold; names, descriptions, folders and license tokens are replaced; dates, statuses, parameter
 * values and every value's JSON type are kept, so a saved answer still shows what the simulator must match.
 * Text in a field not known here is replaced too: an unknown field may name a customer.
 */
export class AnswerSanitizer {
  private readonly serials = new Map<string, string>();
  private readonly accounts = new Map<string, number>();
  private readonly configs = new Map<string, number>();
  private readonly otherIds = new Map<string, number>();
  private readonly texts = new Map<string, string>();

  /** `value` with its identifying and secret parts replaced; `key` is the field it sits in. */
  sanitize(value: unknown, key = "", inside = ""): unknown {
    if (Array.isArray(value)) return value.map((v) => this.sanitize(v, key, inside));
    if (value !== null && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.sanitize(v, k, PASS_THROUGH_OBJECTS.has(k) ? k : inside)]));
    if (typeof value !== "string" && typeof value !== "number") return value;
    // Inside a parameter list or a product type, ids and names are the catalog's, not the customer's.
    if (inside) return value;
    if (/serialnumber$/i.test(key)) return this.serial(value);
    if (/accountid$/i.test(key)) return placeholderNumber(this.accounts, value, 1_000_000);
    if (key === "id" || key === "configId") return placeholderNumber(this.configs, value, 1_000);
    // Any other id (a field FortiFlex may add: "customerId", "orgId") may say who.
    if (/Id$/.test(key)) return placeholderNumber(this.otherIds, value, 2_000_000);
    if (key === "token") return typeof value === "string" ? value.replace(/./g, "0") : 0;
    if (typeof value === "number" || KEPT.has(key) || /date$/i.test(key)) return value;
    return this.text(key, value);
  }

  /** The letters that say what a serial number is (FGVMELTM, ELAVMS) stay; the digits that say which one are numbered. */
  private serial(value: string | number): string | number {
    const given = String(value);
    let placeholder = this.serials.get(given);
    if (!placeholder) {
      const prefix = /^[A-Za-z-]*/.exec(given)![0];
      placeholder = `${prefix}${String(this.serials.size + 1).padStart(Math.max(4, given.length - prefix.length), "0")}`;
      this.serials.set(given, placeholder);
    }
    return typeof value === "number" ? Number(placeholder) : placeholder;
  }

  private text(key: string, value: string): string {
    let placeholder = this.texts.get(value);
    if (!placeholder) {
      placeholder = `${key || "text"} ${this.texts.size + 1}`;
      this.texts.set(value, placeholder);
    }
    return placeholder;
  }
}

/** Objects whose contents are the product catalog's (parameter ids, names and values; the product type). */
const PASS_THROUGH_OBJECTS = new Set(["parameters", "productType"]);
/** Text fields that say how things are, never who: kept as FortiFlex wrote them. */
const KEPT = new Set(["status", "tokenStatus", "message"]);

function placeholderNumber(map: Map<string, number>, value: string | number, base: number): string | number {
  const given = String(value);
  let placeholder = map.get(given);
  if (placeholder === undefined) {
    placeholder = base + map.size + 1;
    map.set(given, placeholder);
  }
  return typeof value === "number" ? placeholder : String(placeholder);
}
