import { generateKeyPairSync, randomBytes } from "crypto";
import { appendFileSync, createReadStream, writeFileSync } from "fs";
import * as http from "http";
import { type AddressInfo, isIP, type Socket } from "net";
import { join } from "path";
import type { Duplex } from "stream";
import * as tls from "tls";
import * as forge from "node-forge";

/** A running interception proxy: what to point a client at, and what it was asked. */
export interface InterceptionProxy {
  port: number;
  /** PEM of the CA that signs every host's certificate. */
  caFile: string;
  /** Every URL asked, as `<status> <url>`, in order. */
  requests: string[];
  stop(): Promise<void>;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Node's key generation (native; node-forge's pure-JS one takes seconds for RSA 2048), as a forge key.
 */
function rsaKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return { privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey, publicKey: forge.pki.publicKeyFromPem(publicKey) };
}

function certificate(subject: string, publicKey: forge.pki.PublicKey, extensions: object[]): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Positive (Go refuses negative serial numbers), random so that no two runs' certificates collide.
  cert.serialNumber = `01${randomBytes(15).toString("hex")}`;
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + YEAR_MS);
  cert.setSubject([{ name: "commonName", value: subject }]);
  cert.setExtensions(extensions);
  return cert;
}

/**
 * An HTTPS proxy that answers every CONNECT itself: it terminates TLS with a certificate for the
 * CONNECT's host, signed by a CA made at start (written to `dir/ca.pem`), and serves each request
 * from `files` (URL → file). Any other URL is a 404, logged to stderr and `dir/requests.log`, so a
 * client asking for something not mirrored fails loudly instead of waiting on the internet.
 */
export async function startInterceptionProxy(dir: string, files: ReadonlyMap<string, string>): Promise<InterceptionProxy> {
  const caKeys = rsaKeyPair();
  const ca = certificate("platform chart mirror CA", caKeys.publicKey, [
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
  ]);
  ca.setIssuer(ca.subject.attributes);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, forge.pki.certificateToPem(ca));
  // One key for every host: only the certificates differ.
  const hostKeys = rsaKeyPair();
  const hostKeyPem = forge.pki.privateKeyToPem(hostKeys.privateKey);
  const contexts = new Map<string, tls.SecureContext>();
  const contextFor = (host: string): tls.SecureContext => {
    let context = contexts.get(host);
    if (!context) {
      const cert = certificate(host, hostKeys.publicKey, [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
        { name: "extKeyUsage", serverAuth: true },
        { name: "subjectAltName", altNames: [isIP(host) ? { type: 7, ip: host } : { type: 2, value: host }] },
      ]);
      cert.setIssuer(ca.subject.attributes);
      cert.sign(caKeys.privateKey, forge.md.sha256.create());
      context = tls.createSecureContext({ key: hostKeyPem, cert: forge.pki.certificateToPem(cert) });
      contexts.set(host, context);
    }
    return context;
  };

  const requests: string[] = [];
  const log = join(dir, "requests.log");
  const serve = (req: http.IncomingMessage, res: http.ServerResponse, url: string) => {
    const file = req.method === "GET" || req.method === "HEAD" ? files.get(url) : undefined;
    const line = `${file ? 200 : 404} ${url}`;
    requests.push(line);
    appendFileSync(log, `${line}\n`);
    if (!file) {
      console.warn(`chart mirror: not mirrored: ${req.method} ${url}`);
      res.writeHead(404, { "content-type": "text/plain" }).end(`not mirrored: ${url}\n`);
      return;
    }
    res.writeHead(200, { "content-type": file.endsWith(".tgz") ? "application/gzip" : "application/yaml" });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  };
  // Requests inside a CONNECT tunnel: the URL is the tunnel's target (not the Host header) and the request's path.
  const targets = new WeakMap<object, string>();
  const tunnelled = http.createServer((req, res) => serve(req, res, `https://${targets.get(req.socket)}${req.url}`));
  // Requests to the proxy itself carry an absolute URL (plain-HTTP proxying): nothing is mirrored over HTTP.
  const proxy = http.createServer((req, res) => serve(req, res, req.url ?? ""));
  // A tunnel's socket leaves the server once CONNECT is answered: stop() ends them itself.
  const tunnels = new Set<Duplex>();
  proxy.on("connect", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = (req.url ?? "").replace(/:443$/, "");
    const host = target.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
    tunnels.add(socket);
    socket.on("close", () => tunnels.delete(socket));
    socket.on("error", () => socket.destroy());
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length) socket.unshift(head);
    const secure = new tls.TLSSocket(socket as Socket, { isServer: true, secureContext: contextFor(host) });
    secure.on("error", () => secure.destroy());
    targets.set(secure, target);
    tunnelled.emit("connection", secure);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    port: (proxy.address() as AddressInfo).port,
    caFile,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of tunnels) socket.destroy();
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}
