import * as assert from "node:assert/strict";
import * as http from "node:http";
import { accessSchema, authorise, readAccessConfig, remoteSourceOf, requiredRole, roleOf } from "../portal/access";
import { localTokenAuthenticator, oidcAuthenticator } from "../portal/auth";
import { chooseAuthenticator } from "../portal/cli";
import { LOCAL_ACCESS } from "../portal/access";
import { IdentityProvider, LoggedOperation, RunningPortal, errorOf, get, loggingBackend, post, startIdentityProvider, startPortal, testAccess } from "./portalHarness";

/**
 * The attacks of issue 12, each tried against a running portal with a stand-in for the Pulumi CLI
 * that logs every operation: none may reach the log.
 */

/** A raw request, for what fetch will not send (a Host of the attacker's choice). */
function rawRequest(port: number, options: { method?: string; path: string; headers: Record<string, string>; body?: string }): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port, method: options.method ?? "GET", path: options.path, headers: options.headers }, (res) => {
            let text = "";
            res.on("data", (chunk) => (text += chunk));
            res.on("end", () => resolve({ status: res.statusCode!, body: text.startsWith("{") ? JSON.parse(text) : text }));
        });
        req.on("error", reject);
        req.end(options.body);
    });
}

describe("portal security: the attacks of issue 12 are refused", () => {
    let idp: IdentityProvider;
    let portal: RunningPortal;
    let log: LoggedOperation[];
    let viewer: string, deployer: string, admin: string;

    before(async () => {
        idp = await startIdentityProvider();
        const backend = loggingBackend();
        log = backend.log;
        portal = await startPortal({ auth: oidcAuthenticator(testAccess(idp.issuer).oidc), access: accessSchema.parse(testAccess(idp.issuer)), workspaces: backend.workspaces });
        [viewer, deployer, admin] = await Promise.all([idp.token("vera", ["staff"]), idp.token("dan", ["developers"]), idp.token("ada", ["platform-admins"])]);
    });
    after(async () => {
        await portal?.close();
        await idp?.close();
    });
    beforeEach(() => log.splice(0));

    const operations = () => log.map((entry) => `${entry.operation} ${entry.stack}`);

    describe("authentication", () => {
        it("refuses a destroy of prod without a token with 401, a JSON body and a WWW-Authenticate challenge", async () => {
            const response = await post(`${portal.url}/api/environments/prod/destroy`, undefined, { confirm: "prod" });
            assert.equal(response.status, 401);
            assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer/);
            assert.equal((await errorOf(response)).code, "unauthenticated");
            assert.deepEqual(operations(), []);
        });

        it("refuses every API read without a token, the plan included", async () => {
            for (const route of ["/api/environments/dev/plan", "/api/environments/dev/outputs", "/api/environments/dev/history", "/api/stack-files"]) {
                assert.equal((await get(`${portal.url}${route}`)).status, 401, route);
            }
        });

        it("refuses a token signed by a key the issuer never published, from another issuer, for another audience, or expired", async () => {
            const tokens = [
                await idp.forgedToken("mallory", ["platform-admins"]),
                await idp.token("mallory", ["platform-admins"], { iss: "https://evil.example" }),
                await idp.token("mallory", ["platform-admins"], { aud: "another-app" }),
                await idp.token("mallory", ["platform-admins"], { exp: Math.floor(Date.now() / 1000) - 3600 }),
            ];
            for (const token of tokens) {
                const response = await post(`${portal.url}/api/environments/dev/deploy`, token);
                assert.equal(response.status, 401);
                assert.equal((await errorOf(response)).code, "token-invalid");
            }
            assert.deepEqual(operations(), []);
        });

        it("refuses a token that is not a JWT at all", async () => {
            assert.equal((await post(`${portal.url}/api/environments/dev/deploy`, "not-a-jwt")).status, 401);
        });
    });

    describe("authorisation by role, environment and operation", () => {
        it("lets a viewer read the plan, diagram, outputs and history but not preview, deploy, refresh or destroy", async () => {
            assert.equal((await get(`${portal.url}/api/environments/dev/plan`, viewer)).status, 200);
            const diagram = await get(`${portal.url}/api/environments/dev/diagram.svg`, viewer);
            assert.equal(diagram.status, 200);
            assert.match(await diagram.text(), /<svg/);
            const outputs = await get(`${portal.url}/api/environments/dev/outputs`, viewer);
            assert.ok(![401, 403].includes(outputs.status), `outputs answered ${outputs.status}: the viewer role must be enough`);
            assert.equal((await get(`${portal.url}/api/environments/dev/history`, viewer)).status, 503, "no audit store in this portal: the role was enough");
            for (const operation of ["preview", "deploy", "refresh", "destroy"]) {
                const response = await post(`${portal.url}/api/environments/dev/${operation}`, viewer);
                assert.equal(response.status, 403, operation);
                const error = await errorOf(response);
                assert.equal(error.code, "forbidden");
                assert.match(error.message, /needs the (deployer|admin) role/);
            }
            assert.deepEqual(operations(), []);
        });

        it("refuses a token whose groups give no role, even to read", async () => {
            const nobody = await idp.token("nobody", ["marketing"]);
            assert.equal((await get(`${portal.url}/api/environments/dev/plan`, nobody)).status, 403);
        });

        it("refuses a deployer prod's deploy, preview and destroy, and dev's destroy", async () => {
            for (const [environment, operation] of [["prod", "deploy"], ["prod", "preview"], ["prod", "destroy"], ["dev", "destroy"]]) {
                const response = await post(`${portal.url}/api/environments/${environment}/${operation}`, deployer, operation === "destroy" ? { confirm: environment } : {});
                assert.equal(response.status, 403, `${operation} ${environment}`);
            }
            assert.deepEqual(operations(), []);
        });

        it("lets a deployer deploy dev from its stack file", async () => {
            const response = await post(`${portal.url}/api/environments/dev/deploy`, deployer);
            assert.equal(response.status, 200);
            assert.match(await response.text(), /event: result/);
            assert.deepEqual(operations(), ["up dev"]);
        });

        it("refuses an admin's destroy of prod without its name sent back, and runs it with", async () => {
            for (const body of [{}, { confirm: "dev" }, { confirm: "PROD" }]) {
                const response = await post(`${portal.url}/api/environments/prod/destroy`, admin, body);
                assert.equal(response.status, 400);
                assert.equal((await errorOf(response)).code, "confirmation-required");
            }
            assert.deepEqual(operations(), []);
            const confirmed = await post(`${portal.url}/api/environments/prod/destroy`, admin, { confirm: "prod" });
            assert.equal(confirmed.status, 200);
            await confirmed.text();
            assert.deepEqual(operations(), ["destroy prod"]);
        });
    });

    describe("cross-site requests and DNS rebinding", () => {
        it("refuses a text/plain POST, as a cross-site form sends, with 415", async () => {
            const response = await post(`${portal.url}/api/environments/prod/destroy`, admin, "x=1", { "Content-Type": "text/plain" });
            assert.equal(response.status, 415);
            const error = await errorOf(response);
            assert.equal(error.code, "json-required");
            assert.match(error.message, /send Content-Type: application\/json \(got "text\/plain"\)/);
            assert.deepEqual(operations(), []);
        });

        it("refuses url-encoded and multipart bodies with 415", async () => {
            for (const type of ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
                assert.equal((await post(`${portal.url}/api/environments/dev/deploy`, admin, "x=1", { "Content-Type": type })).status, 415, type);
            }
            assert.deepEqual(operations(), []);
        });

        it("refuses a write from another origin with 403, even with a valid token", async () => {
            const response = await post(`${portal.url}/api/environments/prod/destroy`, admin, { confirm: "prod" }, { Origin: "https://evil.example" });
            assert.equal(response.status, 403);
            const error = await errorOf(response);
            assert.equal(error.code, "origin-not-allowed");
            assert.match(error.message, /the origin "https:\/\/evil\.example" are refused/);
            assert.deepEqual(operations(), []);
        });

        it("refuses a cross-site request without an Origin", async () => {
            const response = await post(`${portal.url}/api/environments/dev/deploy`, admin, {}, { "Sec-Fetch-Site": "cross-site" });
            assert.equal(response.status, 403);
            assert.deepEqual(await errorOf(response), { code: "origin-not-allowed", message: "A cross-site request cannot write." });
        });

        it("takes a JSON content type with parameters and spaces, as browsers and tools write it", async () => {
            const response = await post(`${portal.url}/api/environments/dev/refresh`, admin, {}, { "Content-Type": "Application/JSON ; charset=utf-8" });
            assert.equal(response.status, 200);
            await response.text();
            assert.deepEqual(operations(), ["refresh dev"]);
        });

        it("accepts a write from the portal's own origin", async () => {
            const response = await post(`${portal.url}/api/environments/dev/refresh`, admin, {}, { Origin: portal.url });
            assert.equal(response.status, 200);
            await response.text();
            assert.deepEqual(operations(), ["refresh dev"]);
        });

        it("refuses a Host of another name, as DNS rebinding sends, for the page and the API", async () => {
            const page = await rawRequest(portal.port, { path: "/", headers: { Host: "attacker.example" } });
            assert.equal(page.status, 421);
            const destroy = await rawRequest(portal.port, {
                method: "POST",
                path: "/api/environments/prod/destroy",
                headers: { Host: `attacker.example:${portal.port}`, "Content-Type": "application/json", Authorization: `Bearer ${admin}` },
                body: JSON.stringify({ confirm: "prod" }),
            });
            assert.equal(destroy.status, 421);
            assert.equal(destroy.body.error.code, "host-not-allowed");
            assert.match(destroy.body.error.message, new RegExp(`Host "attacker\\.example:${portal.port}": add it to allowedHosts`));
            assert.deepEqual(operations(), []);
        });

        it("answers its public name from the allowlist, and takes writes from that name's HTTPS origin only", async () => {
            const named = await startPortal({ auth: oidcAuthenticator(testAccess(idp.issuer).oidc), access: accessSchema.parse({ ...testAccess(idp.issuer), allowedHosts: ["portal.example.com"] }), workspaces: loggingBackend().workspaces });
            try {
                const write = (origin: string) =>
                    rawRequest(named.port, {
                        method: "POST",
                        path: "/api/environments/dev/refresh",
                        headers: { Host: "portal.example.com", Origin: origin, "Content-Type": "application/json", Authorization: `Bearer ${viewer}` },
                        body: "{}",
                    });
                assert.equal((await rawRequest(named.port, { path: "/", headers: { Host: "portal.example.com" } })).status, 200);
                // The viewer's 403 for the role shows the request got past Host and Origin.
                assert.equal((await write("https://portal.example.com")).body.error.code, "forbidden");
                assert.equal((await write("http://portal.example.com")).body.error.code, "origin-not-allowed");
                assert.equal((await write("https://portal.example.com.evil.example")).body.error.code, "origin-not-allowed");
            } finally {
                await named.close();
            }
        });

        it("serves the page with a CSP that allows its own script only, and no framing", async () => {
            const response = await get(`${portal.url}/`);
            const csp = response.headers.get("content-security-policy") ?? "";
            assert.match(csp, /default-src 'none'/);
            assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
            assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
            assert.match(csp, /frame-ancestors 'none'/);
            assert.equal(response.headers.get("x-content-type-options"), "nosniff");
            assert.equal(response.headers.get("x-frame-options"), "DENY");
        });
    });

    describe("stack files are the truth", () => {
        it("refuses a body that would replace prod's stack file, and deploys nothing", async () => {
            const attack = { preset: "dev", services: { api: { image: { uri: "attacker/img" }, taskRole: { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] } } } };
            const response = await post(`${portal.url}/api/environments/prod/deploy`, admin, attack);
            assert.equal(response.status, 400);
            const error = await errorOf(response);
            assert.equal(error.code, "stack-file-is-the-truth");
            assert.match(error.message, /"preset", "services"/);
            assert.deepEqual(operations(), []);
        });

        it("deploys an ephemeral environment from the template with the allowed overrides only", async () => {
            const response = await post(`${portal.url}/api/environments/pr-77/deploy`, deployer, { services: { worker: { image: { uri: "public.ecr.aws/docker/library/busybox:1.36" }, environment: { FEATURE: "on" } } }, ttlHours: 24 });
            assert.equal(response.status, 200);
            await response.text();
            assert.deepEqual(operations(), ["up pr-77"]);
            const services = JSON.parse(log[0].config["fargate-service:services"].value);
            assert.equal(services.worker.image.uri, "public.ecr.aws/docker/library/busybox:1.36");
            assert.equal(services.worker.container.environment.FEATURE, "on");
            assert.match(JSON.parse(log[0].config["fargate-service:tags"].value)["expires-at"], /^\d{4}-\d\d-\d\dT/);
        });

        it("refuses an ephemeral override outside the allowlist (a task role, a preset)", async () => {
            for (const body of [{ services: { api: { taskRole: { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] } } } }, { preset: "prod" }, { services: { ghost: { desiredCount: 1 } } }]) {
                const response = await post(`${portal.url}/api/environments/pr-78/deploy`, deployer, body);
                assert.equal(response.status, 400, JSON.stringify(body));
                assert.equal((await errorOf(response)).code, "config-invalid");
            }
            assert.deepEqual(operations(), []);
        });

        it("judges an override's value with the environment schema", async () => {
            const response = await post(`${portal.url}/api/environments/pr-79/deploy`, deployer, { services: { worker: { desiredCount: -3 } } });
            assert.equal(response.status, 400);
            assert.match(JSON.stringify(await errorOf(response)), /desiredCount/);
        });
    });

    describe("HTTP answers", () => {
        it("answers a 2 MB body with 413 and a JSON body", async () => {
            const response = await post(`${portal.url}/api/environments/pr-80/plan`, admin, JSON.stringify({ padding: "x".repeat(2 * 1024 * 1024) }));
            assert.equal(response.status, 413);
            assert.equal((await errorOf(response)).code, "body-too-large");
        });

        it("answers an unknown API route with a JSON 404", async () => {
            const response = await get(`${portal.url}/api/nothing-here`, admin);
            assert.equal(response.status, 404);
            assert.equal((await errorOf(response)).code, "not-found");
        });
    });
});

describe("portal start-up", () => {
    it("refuses --unsafe-no-auth on an address other than loopback", () => {
        for (const host of ["0.0.0.0", "::", "192.168.1.10", "portal.example.com"]) {
            assert.throws(() => chooseAuthenticator({ host, access: LOCAL_ACCESS, unsafeNoAuth: true }), /--unsafe-no-auth is refused/, host);
        }
        assert.equal(chooseAuthenticator({ host: "127.0.0.1", access: LOCAL_ACCESS, unsafeNoAuth: true }).mode, "unsafe-no-auth");
    });

    it("refuses local mode beyond loopback, and uses OIDC when the access file configures it", () => {
        assert.throws(() => chooseAuthenticator({ host: "0.0.0.0", access: LOCAL_ACCESS, unsafeNoAuth: false }), /loopback only/);
        assert.equal(chooseAuthenticator({ host: "::1", access: LOCAL_ACCESS, unsafeNoAuth: false }).mode, "local-token");
        const sso = accessSchema.parse({ oidc: { issuer: "https://login.example.com/realms/x", audience: "portal" } });
        assert.equal(chooseAuthenticator({ host: "0.0.0.0", access: sso, unsafeNoAuth: false }).mode, "oidc");
    });

    it("prints a fresh random token in local mode, and accepts only that one", async () => {
        const a = localTokenAuthenticator();
        const b = localTokenAuthenticator();
        assert.notEqual(a.token, b.token);
        assert.ok(a.token.length >= 32);
        assert.equal((await a.authenticate(`Bearer ${a.token}`)).subject, "local");
        await assert.rejects(a.authenticate(`Bearer ${b.token}`), /not the one this portal printed/);
    });

    it("makes an operation stricter per environment from the access file, never laxer than the defaults", () => {
        const access = accessSchema.parse({ roles: { deployer: ["developers", "contractors"], admin: ["platform-admins"] }, environments: { dev: { deploy: "admin" }, prod: { deploy: "viewer", destroy: "deployer" } } });
        const dev = { name: "dev", protected: false, ephemeral: false };
        const prod = { name: "prod", protected: true, ephemeral: false };
        assert.equal(requiredRole(access, dev, "deploy"), "admin");
        assert.equal(requiredRole(access, dev, "refresh"), "deployer");
        assert.equal(requiredRole(access, prod, "deploy"), "admin");
        assert.equal(requiredRole(access, prod, "destroy"), "admin");
        assert.equal(requiredRole(access, { name: "pr-1", protected: false, ephemeral: true }, "destroy"), "deployer");
        assert.equal(requiredRole(access, prod, "history"), "viewer");
        const contractor = { subject: "c", groups: ["contractors"], via: "oidc" as const };
        assert.equal(roleOf(access, contractor), "deployer", "one of a role's groups is enough");
        assert.throws(() => authorise(access, contractor, dev, "deploy"), /c may not deploy dev: it needs the admin role, and c is a deployer/);
        assert.throws(() => authorise(access, { ...contractor, groups: ["marketing"] }, dev, "plan"), /no group of c's token \(marketing\) gives a role/);
        assert.equal(roleOf(access, { subject: "x", groups: ["local-admin"], via: "oidc" }), undefined, "an OIDC token cannot claim the local modes' admin");
    });

    it("runs the environments the access file names on Pulumi Deployments, secrets read from the portal's environment", () => {
        const access = accessSchema.parse({
            remoteEnvironments: { prod: { organization: "acme", url: "https://github.com/acme/infra.git", branch: "main", envVars: { AWS_REGION: "eu-west-1" }, secretEnvVars: ["AWS_SECRET_ACCESS_KEY"] } },
        });
        assert.deepEqual(remoteSourceOf(access, "prod", { AWS_SECRET_ACCESS_KEY: "s3cr3t" }), {
            organization: "acme",
            url: "https://github.com/acme/infra.git",
            branch: "main",
            envVars: { AWS_REGION: "eu-west-1", AWS_SECRET_ACCESS_KEY: { secret: "s3cr3t" } },
        });
        assert.equal(remoteSourceOf(access, "dev"), undefined);
        const bad = accessSchema.safeParse({ remoteEnvironments: { prod: { organization: "acme", url: "file:///srv/infra", branch: "a..b" } } });
        assert.equal(bad.success, false);
        assert.deepEqual(bad.error!.issues.map((issue) => issue.path.join(".")).sort(), ["remoteEnvironments.prod.branch", "remoteEnvironments.prod.url"]);
    });

    it("reads the documented example access file", () => {
        const example = readAccessConfig(require("node:path").join(__dirname, "..", "portal", "access.example.yaml"));
        assert.equal(example.oidc?.groupsClaim, "groups");
        assert.deepEqual(example.roles.admin, ["platform-admins"]);
    });

    it("names the key, the file and the allowed values of a bad access file", () => {
        const fs = require("node:fs") as typeof import("node:fs");
        const path = require("node:path") as typeof import("node:path");
        const os = require("node:os") as typeof import("node:os");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-access-"));
        const file = path.join(dir, "access.yaml");
        fs.writeFileSync(file, "roles:\n  admins: [ops]\nenvironments:\n  prod:\n    deploy: superuser\noidc:\n  issuer: not-a-url\n  audience: portal\n");
        try {
            assert.throws(
                () => readAccessConfig(file),
                (error: Error) => {
                    assert.match(error.message, /access\.yaml: roles\.admins: unknown key; did you mean "admin"\?/);
                    assert.match(error.message, /environments\.prod\.deploy: .*viewer.*deployer.*admin/);
                    assert.match(error.message, /oidc\.issuer: expected the issuer's URL/);
                    return true;
                },
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
