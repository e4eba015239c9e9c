/** Errors of the FortiFlex client. Messages never contain credentials or tokens. */

/** The API answered with an error (HTTP >= 400 or a non-zero `status`). Permanent unless `retryable`. */
export class FortiFlexApiError extends Error {
  constructor(
    readonly operation: string,
    readonly httpStatus: number,
    readonly apiMessage: string,
    readonly errorCode?: number,
  ) {
    super(`FortiFlex ${operation} failed: HTTP ${httpStatus}${errorCode !== undefined ? `, error code ${errorCode}` : ""}: ${apiMessage}`);
    this.name = "FortiFlexApiError";
  }
}

/** The request may or may not have taken effect (connection dropped or timed out after it was sent). */
export class AmbiguousOutcomeError extends Error {
  constructor(
    readonly operation: string,
    readonly cause: Error,
  ) {
    super(`FortiFlex ${operation}: outcome unknown (${cause.message}); the request may have been applied`);
    this.name = "AmbiguousOutcomeError";
  }
}

/** Retries were used up on a transient failure. */
export class RetriesExhaustedError extends Error {
  constructor(
    readonly operation: string,
    readonly attempts: number,
    readonly lastError: Error,
  ) {
    super(`FortiFlex ${operation} failed after ${attempts} attempts: ${lastError.message}`);
    this.name = "RetriesExhaustedError";
  }
}

/** Credentials are missing or were rejected by the token endpoint. */
export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthenticationError";
  }
}

/** A read-only client was asked to change something: nothing was sent. */
export class ReadOnlyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReadOnlyError";
  }
}

/**
 * The client was asked to send the credentials or an access token to a host that is neither Fortinet's nor
 * loopback, without its caller opting in: nothing was sent.
 */
export class NonFortinetHostError extends Error {
  constructor(
    readonly url: string,
    problem: string,
  ) {
    super(
      `refusing to send the FortiFlex credentials or access token to ${JSON.stringify(url.slice(0, 200))}: ${problem};` +
        " only code that opts in may (the constructs' endpoints.allowNonFortinetHost, the CLI's --allow-non-fortinet-host)",
    );
    this.name = "NonFortinetHostError";
  }
}
