/** A mistake in how the command was called: reported on one line with exit status 2 (other failures exit 1). */
export class UsageError extends Error {}
