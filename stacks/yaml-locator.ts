import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from "yaml";

/**
 * Where a value of a parsed YAML file is written, as "file:line:column" (what editors and terminals turn into
 * a link): the value's node, its key, or, for a value that is not there, the key of its nearest parent that is.
 */
export class YamlLocator {
  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** The value at `path` (keys and list indexes from the top), or its key with `key: true`. */
  at(path: readonly PropertyKey[], options: { readonly key?: boolean } = {}): string {
    let node: unknown = this.doc.contents;
    let anchor: number | undefined = this.startOf(node);
    for (const [i, segment] of path.entries()) {
      if (isAlias(node)) node = node.resolve(this.doc);
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment)) as Pair | undefined;
        if (!pair) break;
        node = pair.value;
        anchor = last && !options.key ? (this.startOf(node) ?? this.startOf(pair.key)) : this.startOf(pair.key);
      } else if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
        node = node.items[segment];
        anchor = this.startOf(node) ?? anchor;
      } else break;
    }
    return this.position(anchor ?? 0);
  }

  /** A node of the document, or a pair's key. */
  ofNode(node: unknown): string {
    return this.position((isPair(node) ? this.startOf(node.key) : this.startOf(node)) ?? 0);
  }

  /** A byte offset in the text (yaml's errors give one). */
  position(offset: number): string {
    const { line, col } = this.lines.linePos(offset);
    return `${this.file}:${Math.max(line, 1)}:${col}`;
  }

  private startOf(node: unknown): number | undefined {
    return (node as Node | null | undefined)?.range?.[0];
  }
}
