import * as assert from "node:assert/strict";
import fc from "fast-check";
import { ENTROPY_THRESHOLD, RANDOM_MIN_LENGTH, secretLook, secretName, secretValue, shannonEntropy } from "../core/secretLooks";
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
