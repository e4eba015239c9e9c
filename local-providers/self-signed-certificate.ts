import * as crypto from "node:crypto";

/**
 * A throw-away TLS identity for one plugin process: an ECDSA P-256 key and a self-signed X.509 v3
 * certificate for "localhost". go-plugin's automatic mutual TLS trusts exactly the certificate the plugin
 * prints in its handshake (it becomes the host's only root), and dials with server name "localhost", so the
 * certificate must be a CA of itself, carry that name as a DNS SAN and allow server and client auth.
 * Node can sign but not build certificates, hence this small DER writer.
 */
export interface SelfSignedCertificate {
  /** PEM, for the TLS server. */
  readonly certPem: string;
  readonly keyPem: string;
  /** DER, for the handshake line. */
  readonly certDer: Buffer;
}

export function createSelfSignedCertificate(commonName = "localhost", lifetimeMs = 24 * 3600 * 1000): SelfSignedCertificate {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const now = Date.now();
  const name = seq(set(seq(oid("2.5.4.3"), tlv(0x0c, Buffer.from(commonName)))));
  const extensions = [
    extension("2.5.29.19", true, seq(tlv(0x01, Buffer.from([0xff])))), // basicConstraints: CA
    extension("2.5.29.15", true, tlv(0x03, Buffer.from([0x02, 0x84]))), // keyUsage: digitalSignature, keyCertSign
    extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"), oid("1.3.6.1.5.5.7.3.2"))), // serverAuth, clientAuth
    extension("2.5.29.17", false, seq(tlv(0x82, Buffer.from(commonName)))), // subjectAltName: dNSName
  ];
  const serial = crypto.randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40; // positive, and minimal DER (no leading zero byte)
  const signatureAlgorithm = seq(oid("1.2.840.10045.4.3.2")); // ecdsa-with-SHA256
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))), // version v3
    integer(serial),
    signatureAlgorithm,
    name,
    seq(time(new Date(now - 60_000)), time(new Date(now + lifetimeMs))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    tlv(0xa3, seq(...extensions)),
  );
  const signature = crypto.sign("sha256", tbs, { key: privateKey, dsaEncoding: "der" });
  const certDer = seq(tbs, signatureAlgorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const certPem = `-----BEGIN CERTIFICATE-----\n${certDer
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .replace(/\n$/, "")}\n-----END CERTIFICATE-----\n`;
  return { certPem, keyPem: privateKey.export({ type: "pkcs8", format: "pem" }) as string, certDer };
}

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const integer = (bytes: Buffer) => tlv(0x02, bytes);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * a + b];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime, YYMMDDHHMMSSZ (valid until 2049). */
function time(d: Date): Buffer {
  const iso = d.toISOString();
  return tlv(0x17, Buffer.from(`${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
}
