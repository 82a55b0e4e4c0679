/**
 * Whether a container environment variable looks like it holds a secret, by its name or by its
 * value. A task definition shows its environment in plain text to anyone who may describe it, in
 * the console, the API and CloudTrail; secrets belong in `container.secrets`, which ECS resolves
 * from Secrets Manager or SSM at task start (Security Hub ECS.8:
 * https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-8).
 *
 * The rules aim at no false alarm on ordinary values: URLs, host names, paths, numbers, booleans,
 * words, versions, UUIDs and hex digests are never judged by their value, only by their name.
 */

/** Words that make a variable name a secret's, wherever they appear in it (`DB_PASSWORD`, `apiToken`). */
export const SECRET_NAME_WORDS = ["PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "CREDENTIAL", "CREDENTIALS", "APIKEY", "PRIVATEKEY"] as const;

/** `KEY` is a secret's word except after these, where it names a lookup key, not a credential. */
const ORDINARY_KEY_KINDS = ["PUBLIC", "CACHE", "SORT", "PARTITION", "PRIMARY", "FOREIGN", "ROUTING", "OBJECT", "S3", "IDEMPOTENCY", "HASH", "RANGE", "GROUP", "QUEUE", "LOOKUP"];

/** A last word that says the variable holds something about the secret, not the secret itself (`JWT_SECRET_ARN`, `TOKEN_URL`). */
const DESCRIPTIVE_SUFFIXES = ["ARN", "ID", "NAME", "URL", "URI", "ENDPOINT", "HOST", "PATH", "FILE", "DIR", "TTL", "EXPIRY", "TIMEOUT", "SECONDS", "MINUTES", "HOURS", "DAYS", "LENGTH", "SIZE", "REGION", "VERSION", "ENABLED", "HEADER", "PARAMETER", "ISSUER", "AUDIENCE", "LIMIT", "COUNT"];

/**
 * Prefixes of credentials whose issuer documents their format. Each is a secret whatever the
 * variable is called.
 */
export const SECRET_PREFIXES: { prefix: RegExp; what: string; source: string }[] = [
    { prefix: /^(sk|rk)_(live|test)_[A-Za-z0-9]{8,}/, what: "a Stripe secret or restricted key", source: "https://docs.stripe.com/keys" },
    { prefix: /^(AKIA|ASIA)[A-Z2-7]{16}$/, what: "an AWS access key ID", source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids" },
    { prefix: /^(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/, what: "a GitHub token", source: "https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/" },
    { prefix: /^github_pat_[A-Za-z0-9_]{20,}/, what: "a GitHub fine-grained token", source: "https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/" },
    { prefix: /^xox[abposr]-[A-Za-z0-9-]{8,}/, what: "a Slack token", source: "https://api.slack.com/concepts/token-types" },
    { prefix: /^glpat-[A-Za-z0-9_-]{20,}/, what: "a GitLab personal access token", source: "https://docs.gitlab.com/security/tokens/" },
    { prefix: /^npm_[A-Za-z0-9]{36}$/, what: "an npm access token", source: "https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/" },
    { prefix: /^-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: "a PEM private key", source: "https://www.rfc-editor.org/rfc/rfc7468" },
    { prefix: /^eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./, what: "a JSON Web Token", source: "https://www.rfc-editor.org/rfc/rfc7519" },
];

/**
 * A value "looks random" when it is at least this long, uses only token characters (letters,
 * digits, `+/=_-`), mixes lower case, upper case and digits, switches between those kinds on at
 * least a quarter of its adjacent characters, and carries at least ENTROPY_THRESHOLD bits of
 * Shannon entropy per character. Random 32-character tokens of letters and digits measure 3.9 to
 * 5 bits; words and CamelCase names switch kinds too rarely, and host names, URLs, versions and
 * image references contain `.` or `:`, which are not token characters.
 */
export const RANDOM_MIN_LENGTH = 20;
export const ENTROPY_THRESHOLD = 3.5;
export const KIND_SWITCH_SHARE = 0.25;

/** Shannon entropy of a string, in bits per character. */
export function shannonEntropy(value: string): number {
    // Stryker disable next-line ConditionalExpression: equivalent when false, the empty sum is 0 too
    if (value.length === 0) return 0;
    const counts = new Map<string, number>();
    for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
    let bits = 0;
    for (const n of counts.values()) {
        const p = n / value.length;
        bits -= p * Math.log2(p);
    }
    return bits;
}

// Stryker disable next-line StringLiteral: equivalent, the kinds are compared with each other only, and any one renamed to "" stays apart from the rest
const kind = (c: string) => (/[a-z]/.test(c) ? "lower" : /[A-Z]/.test(c) ? "upper" : /[0-9]/.test(c) ? "digit" : "other");

/** Whether a value looks like a random token (see RANDOM_MIN_LENGTH and ENTROPY_THRESHOLD). */
export function looksRandom(value: string): boolean {
    if (value.length < RANDOM_MIN_LENGTH || !/^[A-Za-z0-9+/=_-]+$/.test(value)) return false;
    if (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || !/[0-9]/.test(value)) return false;
    let switches = 0;
    for (let i = 1; i < value.length; i++) if (kind(value[i]) !== kind(value[i - 1])) switches++;
    if (switches < KIND_SWITCH_SHARE * (value.length - 1)) return false;
    return shannonEntropy(value) >= ENTROPY_THRESHOLD;
}

/** The words of a variable name: `DB_PASSWORD` and `dbPassword` are both DB, PASSWORD. */
function nameWords(name: string): string[] {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .split(/[_\-.]+/)
        .filter((w) => w.length > 0)
        .map((w) => w.toUpperCase());
}

/** Why a variable's name says it holds a secret, or undefined. */
export function secretName(name: string): string | undefined {
    const words = nameWords(name);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent for a one-word name, no descriptive suffix is a secret's word
    if (words.length > 1 && DESCRIPTIVE_SUFFIXES.includes(words[words.length - 1])) return undefined;
    // Stryker disable next-line StringLiteral: equivalent, the fallback for a first word only has to be no ordinary key kind
    const word = words.find((w, i) => (SECRET_NAME_WORDS as readonly string[]).includes(w) || (w === "KEY" && !ORDINARY_KEY_KINDS.includes(words[i - 1] ?? "")));
    return word ? `its name says ${word}` : undefined;
}

/** Why a value looks like a secret, or undefined. */
export function secretValue(value: string): string | undefined {
    const known = SECRET_PREFIXES.find((p) => p.prefix.test(value));
    if (known) return `its value has the format of ${known.what}`;
    // A password in a URL's user info: scheme://user:password@host, or with no user name, as Redis
    // URLs carry one (redis://:password@host, https://www.iana.org/assignments/uri-schemes/prov/redis).
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#\s:@]*:[^/?#\s@]+@/i.test(value)) return "its value is a URL with a password in it";
    if (looksRandom(value)) return `its value looks random (${value.length} characters, ${shannonEntropy(value).toFixed(1)} bits of entropy per character)`;
    return undefined;
}

/** Why an environment variable looks like a secret, by its name or its value, or undefined. */
export function secretLook(name: string, value: unknown): string | undefined {
    return secretName(name) ?? (typeof value === "string" ? secretValue(value) : undefined);
}

/** The `container.secrets` entries that replace the named environment variables, in the stack file's words. */
export function secretsForm(names: readonly string[]): string {
    return `container.secrets: { ${names.map((name) => `${name}: "arn:aws:secretsmanager:<region>:<account>:secret:<name>"`).join(", ")} }`;
}

/** The message for a secret found in `environment`: what to write instead, in the stack file's words. */
export function secretAdvice(name: string, why: string): string {
    return (
        `looks like a secret (${why}): a task definition shows its environment in plain text (Security Hub ECS.8). ` +
        `Store it in Secrets Manager or SSM and reference it instead: ${secretsForm([name])}`
    );
}
