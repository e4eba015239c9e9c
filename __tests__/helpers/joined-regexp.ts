/** One regular expression from parts on separate lines, so a long expected message stays within the line limit. */
export function joinedRegExp(...parts: RegExp[]): RegExp {
  return new RegExp(parts.map((p) => p.source).join(""), parts[0].flags);
}
