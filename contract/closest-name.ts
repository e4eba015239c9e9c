/**
 * "Did you mean" for a mistyped word among known ones (actions, products, parameter names, customers-file fields): the closest by edit
 * distance, ignoring case, and only when it is close enough to be the word the user meant.
 */
export function closestMatch(given: string, candidates: readonly string[]): string | undefined {
  const word = given.toLowerCase();
  // A fifth of the word may be wrong (at least one edit): "entitlement" finds "entitlements", "FortiGate" not "FORTISASE".
  const limit = Math.max(1, Math.floor(word.length / 5));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** `; did you mean "x"?` to append to an error about `given`, or "" when no candidate is close. */
export function didYouMean(given: string, candidates: readonly string[]): string {
  const match = closestMatch(given, candidates);
  return match === undefined ? "" : `; did you mean "${match}"?`;
}

/** Levenshtein distance: insertions, deletions and substitutions, one row at a time. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length];
}
