/** An IPv4 network in CIDR notation, for synth-time checks and address planning. */
export class Ipv4Cidr {
  /** Parses "10.0.0.0/24"; returns a reason instead when it is not a well-formed, aligned IPv4 network. */
  static parse(text: string): Ipv4Cidr | string {
    const m = typeof text === "string" ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim()) : null;
    if (!m) return "not an IPv4 CIDR like 10.0.0.0/24";
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return "not an IPv4 CIDR like 10.0.0.0/24 (octets 0-255, prefix 0-32)";
    const address = octets.reduce((a, o) => a * 256 + o, 0);
    const size = 2 ** (32 - prefix);
    if (address % size !== 0) return `host bits are set; the network is ${format(address - (address % size))}/${prefix}`;
    return new Ipv4Cidr(address, prefix);
  }

  private constructor(
    readonly network: number,
    readonly prefix: number,
  ) {}

  get size(): number {
    return 2 ** (32 - this.prefix);
  }

  toString(): string {
    return `${format(this.network)}/${this.prefix}`;
  }

  /** The n-th address of the network (Azure: .1 is the gateway, .4 the first usable host). */
  host(n: number): string {
    if (n < 0 || n >= this.size) throw new Error(`${this} has no host ${n}`);
    return format(this.network + n);
  }

  /** Dotted netmask, e.g. 255.255.255.192. */
  get netmask(): string {
    return format(this.prefix === 0 ? 0 : (0xffffffff << (32 - this.prefix)) >>> 0);
  }

  contains(other: Ipv4Cidr): boolean {
    return other.prefix >= this.prefix && other.network >= this.network && other.network + other.size <= this.network + this.size;
  }

  overlaps(other: Ipv4Cidr): boolean {
    return this.network < other.network + other.size && other.network < this.network + this.size;
  }
}

function format(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}
