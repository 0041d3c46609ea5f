import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/** Who may use Loki's gateway: the collectors push, readers query. */
export const LOKI_WRITER = "loki-writer";
export const LOKI_READER = "loki-reader";
/** The key of the gateway's Secret the chart mounts as nginx's `auth_basic_user_file` (loki chart 18.11.0 values `gateway.basicAuth.existingSecret`). */
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

/** An htpasswd file of bcrypt hashes, which nginx checks through the system's crypt (Alpine's reads `$2a$`). */
export function htpasswd(users: GatewayUser[]): pulumi.Output<string> {
  return pulumi.secret(pulumi.all(users.map((u) => u.bcryptHash)).apply((hashes) => hashes.map((h, i) => `${users[i].name}:${h}\n`).join("")));
}

/**
 * nginx rules for the Loki chart's gateway, on top of its basic auth: the writer may only push,
 * the reader may use every other `/loki/api/v1/` path, anything else is refused, bar the
 * chart's probe path `/`. `$remote_user` is read from the request's header before
 * `auth_basic` checks the password, which it still does: a user named right with a wrong
 * password gets a 401. Neither snippet may contain `{{`: the chart passes both through `tpl`.
 */
export function lokiAccessRules(): { httpSnippet: string; locationSnippet: string } {
  const httpSnippet = [
    'map "$remote_user $uri" $loki_forbidden {',
    "  default 1;",
    `  "~^${LOKI_WRITER} /loki/api/v1/push$" 0;`,
    '  "~^[^ ]* /loki/api/v1/push$" 1;',
    `  "~^${LOKI_READER} /loki/api/v1/" 0;`,
    '  "~^[^ ]* /$" 0;',
    "}",
  ].join("\n");
  return { httpSnippet, locationSnippet: "if ($loki_forbidden) { return 403; }" };
}
