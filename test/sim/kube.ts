/** A minimal Kubernetes REST client with a kubeconfig's client certificate, for the simulation's own controllers and checks. */
import { parse } from "yaml";
import { sendJson } from "../engines/support/api-server";

/** An object as sent to the API: a name, and whatever else its kind has. */
export interface KubeObject {
  metadata: { name: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface Kube {
  readonly server: string;
  call(method: string, path: string, body?: unknown, contentType?: string): Promise<{ status: number; body: any }>;
  /** GET that fails on anything but 200. */
  get(path: string): Promise<any>;
  /** The items of a list, or none when the API (a CRD) is not there. */
  list(path: string): Promise<any[]>;
  /** Creates the object in `collection`, or replaces the one of its name: the end state of `kubectl apply`. */
  put(collection: string, object: KubeObject): Promise<void>;
}

/** A client for the first cluster and user of a kubeconfig's text (certificate credentials, embedded). */
export function kubeFromKubeconfig(text: string, serverOverride?: string): Kube {
  const config = parse(text);
  const cluster = config.clusters[0].cluster;
  const user = config.users[0].user;
  const b64 = (s: string) => Buffer.from(s, "base64");
  const server: string = serverOverride ?? cluster.server;
  const tls = { ca: b64(cluster["certificate-authority-data"]), cert: b64(user["client-certificate-data"]), key: b64(user["client-key-data"]) };
  const call: Kube["call"] = (method, path, body, contentType = "application/json") => sendJson(server, method, path, body, contentType, { tls }, 30_000);
  return {
    server,
    call,
    async get(path) {
      const res = await call("GET", path);
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return res.body;
    },
    async put(collection, object) {
      let res = await call("POST", collection, object);
      if (res.status === 409) {
        const current = await call("GET", `${collection}/${object.metadata.name}`);
        res = await call("PUT", `${collection}/${object.metadata.name}`, { ...object, metadata: { ...object.metadata, resourceVersion: current.body.metadata?.resourceVersion } });
      }
      if (res.status !== 201 && res.status !== 200) throw new Error(`${collection}/${object.metadata.name}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    },
    async list(path) {
      const res = await call("GET", path);
      if (res.status === 404) return [];
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return res.body.items ?? [];
    },
  };
}
