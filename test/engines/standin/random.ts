/**
 * RandomPassword's Create as terraform-provider-random does it (the revision pulumi-random 4.21.2
 * bridges, f8d869dc98d9): internal/random/string.go's CreateString and resource_password.go's
 * generateHash (Go's bcrypt, cost 10, of the first 72 bytes). Node has no bcrypt: the hash is the
 * system's crypt(3) (libxcrypt, through perl), which writes the same `$2a$` form Go's bcrypt does.
 */
import { execFileSync } from "child_process";
import { randomBytes, randomInt } from "crypto";

const NUMERIC = "0123456789";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const SPECIAL = "!@#$%&*()-_=+[]{}<>:?";

/** The password's inputs, with Terraform's defaults already filled (the planned state). */
export interface PasswordParams {
  length: number;
  upper: boolean;
  lower: boolean;
  numeric: boolean;
  special: boolean;
  minUpper: number;
  minLower: number;
  minNumeric: number;
  minSpecial: number;
  overrideSpecial?: string;
}

const pick = (chars: string[], count: number) => Array.from({ length: Math.max(0, count) }, () => chars[randomInt(chars.length)]);

/** CreateString: each minimum drawn from its set, the rest from the union, then shuffled. */
export function createPassword(p: PasswordParams): string {
  const special = p.overrideSpecial ? p.overrideSpecial : SPECIAL;
  const chars = (p.upper ? UPPER : "") + (p.lower ? LOWER : "") + (p.numeric ? NUMERIC : "") + (p.special ? special : "");
  if (!chars) throw new Error("the character set specified is empty");
  // Keyed by the set, as upstream's map is: the minimums apply whether or not their set is enabled.
  const minimums = new Map<string, number>([[NUMERIC, p.minNumeric], [LOWER, p.minLower], [UPPER, p.minUpper], [special, p.minSpecial]]);
  const result = [...minimums].flatMap(([set, count]) => pick([...set], count));
  if (p.length < result.length) throw new Error(`length (${p.length}) must be at least the sum of the minimums (${result.length})`);
  result.push(...pick([...chars], p.length - result.length));
  // Upstream sorts by one random byte per character (a stable sort, ties keep their order).
  const order = randomBytes(result.length);
  return result.map((c, i) => ({ c, k: order[i] })).sort((a, b) => a.k - b.k).map((e) => e.c).join("");
}

const BCRYPT_BASE64 = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** bcrypt's base64 (its own alphabet, no padding) of `bytes`. */
function bcryptBase64(bytes: Buffer): string {
  const standard = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  return [...bytes.toString("base64").replace(/=+$/, "")].map((c) => BCRYPT_BASE64[standard.indexOf(c)]).join("");
}

/** bcrypt of `password` with the salt `setting` (`$2a$10$` and 22 salt characters), by crypt(3). */
export function bcryptWithSetting(password: Buffer, setting: string): string {
  // The password goes through stdin, never a command line.
  const script = 'binmode STDIN; local $/; my $p = <STDIN>; print crypt($p, $ARGV[0]);';
  const hash = execFileSync("perl", ["-e", script, setting], { input: password }).toString();
  if (!hash.startsWith(setting.slice(0, 7)) || hash.length !== 60) throw new Error(`crypt(3) has no bcrypt here (got "${hash}")`);
  return hash;
}

/** generateHash: Go's bcrypt.GenerateFromPassword at DefaultCost (10) of the first 72 bytes, a random salt. */
export function bcryptHash(password: string): string {
  return bcryptWithSetting(Buffer.from(password, "utf8").subarray(0, 72), `$2a$10$${bcryptBase64(randomBytes(16)).slice(0, 22)}`);
}
