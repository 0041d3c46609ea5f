import { parse } from "yaml";

/** How a kubeconfig user authenticates. */
export type KubeconfigUser =
  | { token: string }
  | { clientCertificateData: string; clientKeyData: string }
  | { exec: { command: string; args: string[]; env?: Record<string, string> } };

export interface KubeconfigArgs {
  /** Name of the cluster, user and context (the same, so the output depends on nothing else). */
  name: string;
  server: string;
  /** Base64 PEM of the CA. */
  caData: string;
  user: KubeconfigUser;
}

/**
 * A single-context kubeconfig as JSON, built field by field so the same inputs always give the
 * same text: a provider whose kubeconfig changes would replace every resource it manages.
 */
export function buildKubeconfig({ name, server, caData, user }: KubeconfigArgs): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server, "certificate-authority-data": caData } }],
    users: [{ name, user: userEntry(user) }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    preferences: {},
  });
}

function userEntry(user: KubeconfigUser): Record<string, unknown> {
  if ("token" in user) return { token: user.token };
  if ("exec" in user) {
    const env = Object.entries(user.exec.env ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ name, value }));
    return {
      exec: {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: user.exec.command,
        args: user.exec.args,
        env: env.length > 0 ? env : null,
        interactiveMode: "Never",
      },
    };
  }
  return { "client-certificate-data": user.clientCertificateData, "client-key-data": user.clientKeyData };
}

/** The CA and client certificate of a kubeconfig's first cluster and user. */
export interface CertificateCredentials {
  caData: string;
  clientCertificateData: string;
  clientKeyData: string;
}

/** Reads client-certificate credentials from a kubeconfig that a tool wrote (kind, Karmada's chart). */
export function readCertificateCredentials(text: string, source: string): CertificateCredentials {
  const doc = parse(text) as {
    clusters?: { cluster?: Record<string, string> }[];
    users?: { user?: Record<string, string> }[];
  };
  const caData = doc?.clusters?.[0]?.cluster?.["certificate-authority-data"];
  const user = doc?.users?.[0]?.user ?? {};
  const clientCertificateData = user["client-certificate-data"];
  const clientKeyData = user["client-key-data"];
  if (!caData || !clientCertificateData || !clientKeyData) {
    throw new Error(`the kubeconfig from ${source} has no CA or client certificate`);
  }
  return { caData, clientCertificateData, clientKeyData };
}
