/**
 * Certificates of a simulated cluster, made with the `openssl` CLI: a CA, a serving certificate
 * with the names and addresses the cluster is reached by, and client certificates (the admin's in
 * `system:masters`, as kind's kubeconfig holds). Files are PEM, written into `dir`.
 */
import { execFileSync } from "child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";

const DAYS = "30";

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** A CA (key and self-signed certificate) named `name` in `dir`; kept if it is there. */
export function certificateAuthority(dir: string, name: string, commonName: string): { cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  if (!existsSync(cert)) {
    openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", DAYS, "-subj", `/CN=${commonName}`,
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"], dir);
  }
  return { cert, key };
}

/** What a leaf certificate says: its subject, and for a server, the names it answers to. */
export interface LeafSpec {
  commonName: string;
  organization?: string;
  /** DNS names and IP addresses (a server certificate); none for a client certificate. */
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: "server" | "client" | "both";
}

/** A key and a certificate signed by `ca`, as `<name>.crt` and `<name>.key` in `dir`. */
export function leafCertificate(dir: string, name: string, ca: { cert: string; key: string }, spec: LeafSpec): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  const subject = `/CN=${spec.commonName}${spec.organization ? `/O=${spec.organization}` : ""}`;
  const eku = { server: "serverAuth", client: "clientAuth", both: "serverAuth,clientAuth" }[spec.usage];
  const sans = [...(spec.dnsNames ?? []).map((d) => `DNS:${d}`), ...(spec.ipAddresses ?? []).map((ip) => `IP:${ip}`)];
  writeFileSync(ext, [`keyUsage=critical,digitalSignature,keyEncipherment`, `extendedKeyUsage=${eku}`, ...(sans.length ? [`subjectAltName=${sans.join(",")}`] : [])].join("\n") + "\n");
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", subject], dir);
  openssl(["x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial", "-out", cert, "-days", DAYS, "-extfile", ext], dir);
  return { cert, key };
}

/** A service-account signing key pair (`sa.key`, `sa.pub`). */
export function serviceAccountKeys(dir: string): { key: string; pub: string } {
  const key = join(dir, "sa.key");
  const pub = join(dir, "sa.pub");
  if (!existsSync(key)) {
    openssl(["genrsa", "-out", key, "2048"], dir);
    openssl(["rsa", "-in", key, "-pubout", "-out", pub], dir);
  }
  return { key, pub };
}

/** A file's contents in base64, as a kubeconfig carries certificates and keys. */
export const base64File = (file: string): string => readFileSync(file).toString("base64");

/** A kubeconfig with embedded credentials, shaped as kind prints it. */
export function kubeconfigText(name: string, server: string, caFile: string, user: { cert: string; key: string }): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- cluster:`,
    `    certificate-authority-data: ${base64File(caFile)}`,
    `    server: ${server}`,
    `  name: ${name}`,
    "contexts:",
    `- context:`,
    `    cluster: ${name}`,
    `    user: ${name}`,
    `  name: ${name}`,
    `current-context: ${name}`,
    "preferences: {}",
    "users:",
    `- name: ${name}`,
    `  user:`,
    `    client-certificate-data: ${base64File(user.cert)}`,
    `    client-key-data: ${base64File(user.key)}`,
    "",
  ].join("\n");
}

/** The first host address of an IPv4 range: the API's Service address in a service range. */
export function firstAddress(cidr: string): string {
  const [ip] = cidr.split("/");
  const parts = ip.split(".").map(Number);
  parts[3] += 1;
  return parts.join(".");
}

/** A Kubernetes component's client, authentication and authorization kubeconfig flags, all one file. */
export const kubeconfigFlags = (file: string): string[] => [`--kubeconfig=${file}`, `--authentication-kubeconfig=${file}`, `--authorization-kubeconfig=${file}`];
