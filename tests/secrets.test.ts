import * as assert from "node:assert/strict";
import fc from "fast-check";
import { ENTROPY_THRESHOLD, RANDOM_MIN_LENGTH, SECRET_PREFIXES, looksRandom, secretAdvice, secretLook, secretName, secretValue, secretsForm, shannonEntropy } from "../core/secretLooks";
import { planConfig } from "../plan/plan";
import { resolveEnvironment } from "../stacks/environment";

/** Environment variables that hold secrets, and the rule that should catch each. */
const SECRETS: [string, string, RegExp][] = [
    ["DB_PASSWORD", "hunter2", /its name says PASSWORD/],
    ["STRIPE_SECRET_KEY", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", /its name says SECRET/],
    ["PAYMENTS", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", /format of a Stripe secret or restricted key/],
    ["UPLOADER", "AKIAIOSFODNN7EXAMPLE", /format of an AWS access key ID/],
    ["CI", "ghp_16C7e42F292c6912E7710c838347Ae178B4a", /format of a GitHub token/],
    ["SLACK", "xoxb-2358-1234-abcdefghijkl", /format of a Slack token/],
    ["DATABASE_URL", "postgres://app:s3cr3t@db.internal:5432/app", /a URL with a password/],
    ["SIGNING", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", /looks random/],
    ["apiToken", "abc", /its name says TOKEN/],
    ["GITHUB_CREDENTIALS", "x", /its name says CREDENTIALS/],
    ["OPENAI_API_KEY", "x", /its name says KEY/],
];

/** Ordinary variables no rule should flag. */
const ORDINARY: [string, string][] = [
    ["LOG_LEVEL", "info"],
    ["JWT_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:jwt-AbCdEf"],
    ["TOKEN_URL", "https://auth.example.com/oauth/token"],
    ["CACHE_KEY_PREFIX", "v2"],
    ["PUBLIC_KEY_PATH", "/etc/keys/public.pem"],
    ["DATABASE_URL", "postgres://db.internal:5432/app"],
    ["GIT_SHA", "3f2a9c1b7e4d5f6a8b9c0d1e2f3a4b5c6d7e8f90"],
    ["REQUEST_ID_HEADER", "X-Request-Id"],
    ["JAVA_OPTS", "-XX:MaxRAMPercentage=75.0"],
    ["MAIN_CLASS", "com.example.payments.ApplicationMain"],
    ["RELEASE", "MyServiceReleaseCandidate"],
    ["PWD", "/app"],
];

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

describe("secrets in container environment variables", () => {
    for (const [name, value, why] of SECRETS) {
        it(`flags ${name}=${value.slice(0, 12)}… (${why.source})`, () => assert.match(secretLook(name, value) ?? "", why));
    }
    for (const [name, value] of ORDINARY) {
        it(`leaves ${name}=${value} alone`, () => assert.equal(secretLook(name, value), undefined));
    }

    it(`never flags an ordinary value (URL, host name, e-mail, number, boolean, UUID, hex digest, word under ${RANDOM_MIN_LENGTH} characters)`, () => {
        const ordinary = fc.oneof(
            fc.webUrl({ withQueryParameters: true }),
            fc.domain(),
            fc.emailAddress(),
            fc.integer().map(String),
            fc.double({ noNaN: true }).map(String),
            fc.constantFrom("true", "false", "yes", "no", "on", "off"),
            fc.uuid(),
            fc.stringMatching(/^[0-9a-f]{7,64}$/),
            fc.stringMatching(/^[A-Za-z][A-Za-z-]{0,18}$/),
            fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99)).map(([a, b, c]) => `${a}.${b}.${c}`),
        );
        fc.assert(fc.property(ordinary, (value) => secretValue(value) === undefined));
    });

    it(`flags every random token of 32 to 64 letters and digits (entropy at least ${ENTROPY_THRESHOLD} bits per character)`, () => {
        // Unbiased: fast-check otherwise favours repetitive strings, which are not what a key generator makes.
        const token = fc
            .noBias(fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 32, maxLength: 64 }))
            .filter((t) => /[a-z]/.test(t) && /[A-Z]/.test(t) && /[0-9]/.test(t));
        fc.assert(fc.property(token, (value) => /looks random/.test(secretValue(value) ?? "")));
    });

    it("measures entropy in bits per character", () => {
        assert.equal(shannonEntropy("aaaa"), 0);
        assert.equal(shannonEntropy("abcd"), 2);
        assert.equal(shannonEntropy(""), 0);
    });

    it("judges names by their words, in any case", () => {
        assert.match(secretName("dbPassword") ?? "", /PASSWORD/);
        assert.equal(secretName("PASSWORD_FILE"), undefined, "a path to a secret file is not the secret");
        assert.equal(secretName("SORT_KEY"), undefined);
        assert.match(secretName("KEY") ?? "", /KEY/);
    });

    describe("in a stack", function () {
        this.timeout(20000);
        const environment = { DB_PASSWORD: "hunter2", STRIPE_SECRET_KEY: "sk_live_4eC39HqLyjWDarjtT1zdp7dc", LOG_LEVEL: "info" };

        it("refuses them in prod, showing the secrets: form that replaces each", () => {
            let message = "";
            try {
                resolveEnvironment(
                    {
                        preset: "prod",
                        domain: { name: "app.example.com", zoneName: "example.com" },
                        services: { api: { image: { uri: "nginx:1" }, container: { environment } } },
                        scheduledTasks: { nightly: { image: { uri: "nginx:1" }, schedule: "rate(1 day)", sidecars: [{ name: "agent", image: "x", container: { environment: { AGENT_TOKEN: "t" } } }] } },
                    },
                    { project: "fargate-service", stack: "prod", source: "Pulumi.prod.yaml" },
                );
            } catch (error) {
                message = (error as Error).message;
            }
            assert.match(message, /fargate-service:services\.api\.container\.environment\.DB_PASSWORD: looks like a secret \(its name says PASSWORD\).*container\.secrets: \{ DB_PASSWORD: "arn:aws:secretsmanager:<region>:<account>:secret:<name>" \} \(refused in prod\)/);
            assert.match(message, /services\.api\.container\.environment\.STRIPE_SECRET_KEY: looks like a secret/);
            assert.match(message, /scheduledTasks\.nightly\.sidecars\[0\]\.container\.environment\.AGENT_TOKEN: looks like a secret/);
            assert.doesNotMatch(message, /LOG_LEVEL/);
        });

        it("warns about them in dev: ECS.8 fails, advisory, naming each variable and showing the secrets: form that replaces them", async () => {
            const plan = await planConfig({
                project: "fargate-service",
                stack: "dev",
                file: "Pulumi.dev.yaml",
                config: { "fargate-service:preset": "dev", "fargate-service:services": JSON.stringify({ api: { image: { uri: "nginx:1" }, container: { environment } } }) },
                secretKeys: [],
            });
            const ecs8 = plan.controls.find((c) => c.id === "ECS.8")!;
            assert.equal(plan.enforcement, "advisory");
            assert.equal(ecs8.status, "fail");
            assert.match(ecs8.reason!, /DB_PASSWORD \(its name says PASSWORD\), STRIPE_SECRET_KEY \(its name says SECRET\); use container secrets/);
            assert.ok(
                ecs8.reason!.endsWith('container.secrets: { DB_PASSWORD: "arn:aws:secretsmanager:<region>:<account>:secret:<name>", STRIPE_SECRET_KEY: "arn:aws:secretsmanager:<region>:<account>:secret:<name>" }'),
                ecs8.reason,
            );
        });
    });
});

describe("the secret rules at their edges", () => {
    it(`judges a value random from ${RANDOM_MIN_LENGTH} characters on, not one fewer`, () => {
        const value = "aB3dE5fG7hJ9kL1mN2pQ";
        assert.equal(value.length, RANDOM_MIN_LENGTH);
        assert.equal(secretValue(value), "its value looks random (20 characters, 4.3 bits of entropy per character)");
        assert.equal(looksRandom(value.slice(0, -1)), false);
    });

    it("wants lower case, upper case and digits in a random-looking value, and only token characters", () => {
        assert.equal(looksRandom("aB3dE5fG7hJ9kL1mN2pQ"), true);
        assert.equal(looksRandom("a1b2c3d4e5f6g7h8j9k0l"), false, "no upper case");
        assert.equal(looksRandom("A1B2C3D4E5F6G7H8J9K0L"), false, "no lower case");
        assert.equal(looksRandom("aBcDeFgHiJkLmNoPqRsTu"), false, "no digit");
        assert.equal(looksRandom("aB3dE5fG7hJ9kL1mN2pQ.x"), false, "a dot: host names and versions");
        assert.equal(looksRandom("aB3d+E5f/G7h=J9k_L1m-N2pQ"), true, "+ / = _ - are token characters");
    });

    it("wants a change of kind (lower, upper, digit) on a quarter of the adjacent characters or more", () => {
        // 21 characters: 20 neighbours, so 5 changes are a quarter.
        assert.equal(looksRandom("abcdeFGHIJ12345klmnP6"), true, "5 changes");
        assert.equal(looksRandom("abcdeFGHIJ12345klmnoP"), false, "4 changes");
        assert.equal(looksRandom("abcdefghijklmA1+2+3+4"), true, "digits and symbols are kinds apart: 8 changes");
    });

    it(`wants at least ${ENTROPY_THRESHOLD} bits of entropy per character, exactly that included`, () => {
        // 4 characters 4 times and 8 characters twice in 32: 3.5 bits per character.
        const atThreshold = "aB1caB1caB1caB1cdE2fG3hJdE2fG3hJ";
        assert.equal(shannonEntropy(atThreshold), ENTROPY_THRESHOLD);
        assert.equal(looksRandom(atThreshold), true);
        assert.equal(looksRandom("aA1aA1aA1aA1aA1aA1aA1"), false, "changes kind at every character but repeats three");
    });

    it("flags a URL's password with or without a user name, and nothing else in a URL", () => {
        for (const url of ["https://user:pw@host", "HTTPS://u:p@h", "redis://:s3cret@cache.internal:6379/0"]) assert.equal(secretValue(url), "its value is a URL with a password in it", url);
        for (const url of ["https://host:8080/path", "https://user@host", "https://host/a:b@c", "https://host?u=a:b@c", "not a url: x@y"]) assert.equal(secretValue(url), undefined, url);
    });

    it("names the format a value has, for each documented prefix", () => {
        const examples: [string, string][] = [
            ["rk_test_51H8abcdEFGH", "a Stripe secret or restricted key"],
            ["ASIAIOSFODNN7EXAMPLE", "an AWS access key ID"],
            ["gho_16C7e42F292c6912E771", "a GitHub token"],
            [`github_pat_${"A1_".repeat(8)}`, "a GitHub fine-grained token"],
            ["xoxp-1234-5678abcd", "a Slack token"],
            ["glpat-abcdefghij0123456789", "a GitLab personal access token"],
            [`npm_${"a1".repeat(18)}`, "an npm access token"],
            ["-----BEGIN RSA PRIVATE KEY-----\nMIIE", "a PEM private key"],
            ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig", "a JSON Web Token"],
        ];
        assert.equal(examples.length, SECRET_PREFIXES.length);
        for (const [value, what] of examples) assert.equal(secretValue(value), `its value has the format of ${what}`, value);
        for (const value of ["AKIAIOSFODNN7EXAMPL", `npm_${"a".repeat(35)}`, "-----BEGIN PUBLIC KEY-----", "eyJhbGci.eyJzdWIi.sig"]) assert.equal(secretValue(value), undefined, value);
    });

    it("splits a name into words at case changes, _, - and ., and reads the last real word for a suffix", () => {
        for (const name of ["db-password", "db.Password", "db2Password", "DB__PASSWORD"]) assert.equal(secretName(name), "its name says PASSWORD", name);
        assert.equal(secretName("SECRET_ARN"), undefined, "a secret's ARN is not the secret");
        assert.equal(secretName("SECRET_ARN_"), undefined, "a trailing separator does not hide the last word");
        assert.equal(secretName("KEY_NAME"), undefined);
        assert.equal(secretName("CACHE_KEY"), undefined);
        assert.equal(secretName("API_KEY"), "its name says KEY");
    });

    it("judges a value that is not text by the variable's name only", () => {
        assert.equal(secretLook("PORT", 5), undefined);
        assert.equal(secretLook("PAYMENTS", ["sk_live_4eC39HqLyjWDarjtT1zdp7dc"]), undefined, "a list is not read as text");
        assert.equal(secretLook("PASSWORD", 5), "its name says PASSWORD");
        assert.equal(secretLook("NAME_FIRST", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"), "its value has the format of a Stripe secret or restricted key");
    });

    it("shows the container.secrets form that replaces each variable, in the stack file's words", () => {
        const form = (name: string) => `${name}: "arn:aws:secretsmanager:<region>:<account>:secret:<name>"`;
        assert.equal(secretsForm(["A", "B"]), `container.secrets: { ${form("A")}, ${form("B")} }`);
        assert.equal(
            secretAdvice("A", "its name says TOKEN"),
            `looks like a secret (its name says TOKEN): a task definition shows its environment in plain text (Security Hub ECS.8). Store it in Secrets Manager or SSM and reference it instead: container.secrets: { ${form("A")} }`,
        );
    });
});
