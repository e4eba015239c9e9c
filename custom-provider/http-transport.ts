import * as http from "node:http";
import * as https from "node:https";

/** One HTTP exchange, without any retry logic. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A transport failure. `sent` tells whether the request reached the server: when it did not (connection
 * refused, DNS failure) repeating it is always safe; when it did, the server may have acted on it.
 */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly sent: boolean,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

export interface PostOptions {
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
  /** Larger answers are refused (ANSWER_TOO_LARGE) instead of read into memory. @default MAX_ANSWER_BYTES */
  readonly maxBytes?: number;
}

/** Error code of an answer over the size limit. */
export const ANSWER_TOO_LARGE = "EANSWERTOOLARGE";
/** 64 MiB: about 150,000 entitlements in one list, far more than one program holds. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** POSTs `body` and resolves with the whole answer; rejects only with TransportError. */
export function post(url: string, body: string, options: PostOptions): Promise<HttpResponse> {
  const target = new URL(url);
  const lib = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    let sent = false;
    let settled = false;
    const fail = (message: string, code: string) => {
      if (settled) return;
      settled = true;
      reject(new TransportError(message, code, sent));
    };
    const req = lib.request(
      target,
      // A fresh connection per request: a pooled keep-alive socket that the server already closed fails in a
      // way that looks like "sent", which would make a safe retry of a create look ambiguous.
      { method: "POST", agent: false, headers: { ...options.headers, "Content-Length": Buffer.byteLength(body).toString() } },
      (res) => {
        const chunks: Buffer[] = [];
        const maxBytes = options.maxBytes ?? MAX_ANSWER_BYTES;
        let received = 0;
        res.on("data", (c: Buffer) => {
          received += c.length;
          if (received <= maxBytes) return void chunks.push(c);
          fail(`the answer is larger than ${maxBytes} bytes; refusing to read it`, ANSWER_TOO_LARGE);
          req.destroy();
        });
        res.on("error", (e: NodeJS.ErrnoException) => fail(`response interrupted: ${e.message}`, e.code ?? "ERESPONSE"));
        res.on("aborted", () => fail("response aborted", "ECONNRESET"));
        res.on("end", () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
        });
      },
    );
    const timer = setTimeout(() => {
      fail(`no answer within ${options.timeoutMs} ms`, "ETIMEDOUT");
      req.destroy();
    }, options.timeoutMs);
    req.on("socket", (socket) => socket.once("connect", () => (sent = true)));
    req.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(e.message, e.code ?? "EUNKNOWN");
    });
    req.end(body);
  });
}
