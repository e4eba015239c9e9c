/** Where operations report what they did: one short line per action, never a token or credential. */
export type Log = (line: string) => void;

/** Every object with one key after duplicates were settled (the one kept first), and what was done. */
export interface Settled<T> {
  readonly all: T[];
  readonly done: string[];
}
