import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/**
 * Basic auth for the platform's nginx gateways (Loki's, the central Prometheus's): generated
 * credentials, the htpasswd file nginx checks them against, and the rules that say which user
 * may use which path.
 */

/** The key of a gateway's htpasswd Secret, the file nginx's `auth_basic_user_file` reads. */
export const HTPASSWD_KEY = ".htpasswd";

/** A user of a basic-auth gateway: a generated password and its bcrypt hash (both secret). */
export interface GatewayUser {
  name: string;
  password: pulumi.Output<string>;
  bcryptHash: pulumi.Output<string>;
}

/** A generated credential named `${resourceName}`; no special characters, so it sits in any config unquoted. */
export function gatewayUser(resourceName: string, name: string, parent: pulumi.Resource): GatewayUser {
  const password = new random.RandomPassword(resourceName, { length: 32, special: false }, { parent });
  return { name, password: pulumi.secret(password.result), bcryptHash: pulumi.secret(password.bcryptHash) };
}

/**
 * A non-secret value that changes with a password: the SHA-256 of its salted bcrypt hash (or of
 * the password itself, a random string too long to guess from it). What makes a consumer that
 * reads the password only at start restart, or a Command re-run, when it changes.
 */
export function passwordFingerprint(secret: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.unsecret(pulumi.output(secret).apply((value) => createHash("sha256").update(value).digest("hex")));
}

/** An htpasswd file of bcrypt hashes, which nginx checks through the system's crypt (Alpine's reads `$2a$`). */
export function htpasswd(users: GatewayUser[]): pulumi.Output<string> {
  return pulumi.secret(pulumi.all(users.map((u) => u.bcryptHash)).apply((hashes) => hashes.map((h, i) => `${users[i].name}:${h}\n`).join("")));
}

/** One entry of a gateway's access map: a user (default: anyone) and a regular expression on the path. */
export interface AccessRule {
  /** Default: any user, or none. */
  user?: string;
  /** A regular expression on the normalised path (`$uri`), anchored at its start. */
  path: string;
  allow: boolean;
}

/**
 * An nginx `map` of `"$remote_user $uri"` to `variable`: 0 for the first rule that matches and
 * allows, 1 for one that refuses and for anything no rule matches. `$remote_user` is read from
 * the request's header before `auth_basic` checks the password, which it still does: a user named
 * right with a wrong password gets a 401. `$uri` is the path nginx normalised (decoded, dot
 * segments and double slashes resolved), what the upstream serves or redirects to.
 */
export function accessMap(variable: string, rules: AccessRule[]): string {
  const entries = rules.map((r) => `  "~^${r.user ?? "[^ ]*"} ${r.path}" ${r.allow ? 0 : 1};`);
  return [`map "$remote_user $uri" $${variable} {`, "  default 1;", ...entries, "}"].join("\n");
}

/** The `if` that refuses, with a 403, what the map of `variable` forbids. */
export function refuseForbidden(variable: string): string {
  return `if ($${variable}) { return 403; }`;
}
