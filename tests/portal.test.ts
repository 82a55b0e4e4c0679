import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { PlanDocument } from "../plan/plan";
import type { PulumiWorkspaces } from "../stacks/automation";
import { projectRoot } from "./planFixtures";
import { cliFailure } from "./pulumiCli";
import { localTokenAuthenticator } from "../portal/auth";


/** A backend whose preview reports one resource, then ends as `finish` says. */
function previewingBackend(finish: () => Promise<void>): PulumiWorkspaces {
    const metadata = { op: "create", urn: "urn:pulumi:dev::fargate-service::pulumi:pulumi:Stack::fargate-service-dev", type: "pulumi:pulumi:Stack", provider: "" };
    const stack = {
        getAllConfig: async () => ({}),
        setAllConfig: async () => undefined,
        removeAllConfig: async () => undefined,
        preview: async (options: { onEvent?: (e: EngineEvent) => void; onOutput?: (text: string) => void } = {}) => {
            options.onEvent?.({ sequence: 0, timestamp: 1, preludeEvent: { config: {} } });
            options.onOutput?.("Previewing update (dev)\n");
            options.onEvent?.({ sequence: 1, timestamp: 2, resourcePreEvent: { metadata } } as unknown as EngineEvent);
            await finish();
            return { stdout: "", stderr: "", changeSummary: { create: 74 } };
        },
    };
    return {
        createOrSelectStack: async () => stack as never,
        selectStack: async () => Promise.reject(cliFailure("error: no stack named 'dev' found")),
        removeStack: async () => undefined,
        listStacks: async () => [],
    };
}

/** The server-sent events of a response body, in order. */
function parseEvents(body: string): { event: string; data: any }[] {
    return body
        .split("\n\n")
        .filter((block) => block.startsWith("event: "))
        .map((block) => ({ event: /^event: (.*)$/m.exec(block)![1], data: JSON.parse(/^data: (.*)$/m.exec(block)![1]) }));
}

describe("portal", () => {
    let createPortal: typeof import("../portal/server").createPortal;
    let devPlan: PlanDocument;
    const servers: Server[] = [];
    const workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-test-"));
    const auth = localTokenAuthenticator();
    const authed = (url: string, init: RequestInit = {}) => fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${auth.token}` } });

    before(async () => {
        ({ createPortal } = await import("../portal/server"));
        devPlan = await (await import("../plan/plan")).planStack(projectRoot, "dev");
    });
    after(() => {
        servers.forEach((s) => s.close());
        fs.rmSync(workspaceDir, { recursive: true, force: true });
    });

    /** A portal on a free loopback port; returns its base URL. */
    async function start(workspaces?: PulumiWorkspaces): Promise<string> {
        const server = createPortal({ auth, projectDir: projectRoot, workspaceDir, ...(workspaces ? { workspaces } : {}) }).listen(0, "127.0.0.1");
        servers.push(server);
        await new Promise((resolve) => server.once("listening", resolve));
        return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    const post = (url: string, body: unknown) => authed(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

    it("serves the plan of a stack file, the same the plan command computes", async () => {
        const response = await authed(`${await start()}/api/environments/dev/plan`);
        assert.equal(response.status, 200);
        const plan = (await response.json()) as PlanDocument;
        assert.equal(plan.cost.monthlyUsd, devPlan.cost.monthlyUsd);
        assert.equal(plan.resources.length, devPlan.resources.length);
    });

    it("plans an ephemeral environment with the overrides a deploy would take, and answers 400 with every problem when they are invalid", async () => {
        const base = await start();
        const ok = await post(`${base}/api/environments/pr-4/plan`, { services: { api: { desiredCount: 2, image: { uri: "public.ecr.aws/nginx/nginx:1.27" } } } });
        assert.equal(ok.status, 200);
        const plan = (await ok.json()) as PlanDocument;
        assert.equal(plan.stack, "pr-4");
        const service = plan.resources.find((r) => r.type === "aws:ecs/service:Service" && r.name === "pr-4-api");
        assert.equal(service?.inputs.desiredCount, 2, "the override is in the plan, as the deploy would apply it");
        const services = (doc: PlanDocument, env: string) => doc.resources.filter((r) => r.type === "aws:ecs/service:Service").map((r) => r.name.slice(env.length)).sort();
        assert.deepEqual(services(plan, "pr-4"), services(devPlan, "dev"), "the template's other services are all there");
        assert.ok(!plan.resources.some((r) => r.type.startsWith("docker-build:")), "the override's image replaced the template's build");

        // A whole config is not an override: the plan refuses it as the deploy would, naming the keys.
        const whole = await post(`${base}/api/environments/pr-4/plan`, { preset: "dev", services: { api: { image: { uri: "nginx:1" }, cpu: 300 } } });
        assert.equal(whole.status, 400);
        const { error } = (await whole.json()) as { error: { code: string; message: string; problems: { path: string }[] } };
        assert.equal(error.code, "config-invalid");
        assert.deepEqual(error.problems.map((p) => p.path).sort(), ["preset", "services.api.cpu"]);
        assert.ok(!error.message.includes("    at "), "no stack trace for a user's mistake");
    });

    it("answers 400 for a body that is not JSON, and for a name that cannot name an environment", async () => {
        const base = await start();
        assert.equal((await post(`${base}/api/environments/dev/plan`, "{not json")).status, 400);
        const traversal = await authed(`${base}/api/environments/..%2F..%2Fetc/plan`);
        assert.equal(traversal.status, 400);
        assert.equal(((await traversal.json()) as { error: { code: string } }).error.code, "config-invalid");
    });

    it("plans an environment without a stack file as the ephemeral template (dev's stack file) would deploy it", async () => {
        const response = await authed(`${await start()}/api/environments/pr-5/plan`);
        assert.equal(response.status, 200);
        const plan = (await response.json()) as PlanDocument;
        assert.equal(plan.stack, "pr-5");
        assert.equal(plan.preset, "dev");
        assert.equal(plan.resources.length, devPlan.resources.length);
    });

    it("draws the diagram as SVG", async () => {
        const response = await authed(`${await start()}/api/environments/dev/diagram.svg`);
        assert.equal(response.status, 200);
        assert.match(response.headers.get("content-type") ?? "", /^image\/svg\+xml/);
        assert.match(await response.text(), /<svg[\s\S]*Application Load Balancer[\s\S]*<\/svg>/);
    });

    it("answers deploy with 503 and how to install the CLI when pulumi is not on the PATH", async () => {
        const base = await start();
        const PATH = process.env.PATH;
        process.env.PATH = "/nonexistent";
        let response: Response;
        try {
            response = await post(`${base}/api/environments/dev/deploy`, {});
        } finally {
            process.env.PATH = PATH;
        }
        assert.equal(response.status, 503);
        const { error } = (await response.json()) as { error: { code: string; message: string; installCommand: string } };
        assert.equal(error.code, "cli-missing");
        assert.match(error.message, /^Pulumi CLI not found/);
        assert.equal(error.installCommand, "curl -fsSL https://get.pulumi.com | sh");
    });

    it("streams a preview's progress as server-sent events, ending with the result", async () => {
        const base = await start(previewingBackend(async () => undefined));
        const response = await post(`${base}/api/environments/dev/preview`, {});
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("content-type"), "text/event-stream");
        const events = parseEvents(await response.text());
        assert.deepEqual(
            events.map((e) => `${e.event}:${e.data.type ?? ""}`),
            ["progress:started", "output:", "progress:resource-started", "result:"],
        );
        assert.equal(events[0].data.total, devPlan.resources.length, "the total is the offline plan's count");
        assert.deepEqual(events.at(-1)!.data, { environment: "dev", changes: { create: 74 } });
    });

    it("ends the stream with an error event when the operation fails after it started", async () => {
        const base = await start(previewingBackend(() => Promise.reject(cliFailure("error: [409] Conflict: Another update is currently in progress."))));
        const events = parseEvents(await (await post(`${base}/api/environments/dev/preview`, {})).text());
        const last = events.at(-1)!;
        assert.equal(last.event, "error");
        assert.equal(last.data.status, 409);
        assert.equal(last.data.code, "environment-busy");
    });

    it("answers 409 when the stack is busy before anything streamed, and 404 for outputs of an environment never deployed", async () => {
        const busy: PulumiWorkspaces = { ...previewingBackend(async () => undefined), createOrSelectStack: () => Promise.reject(cliFailure("error: the stack is currently locked by 1 lock(s).")) };
        const base = await start(busy);
        assert.equal((await post(`${base}/api/environments/dev/deploy`, {})).status, 409);
        const outputs = await authed(`${base}/api/environments/dev/outputs`);
        assert.equal(outputs.status, 404);
        assert.equal(((await outputs.json()) as { error: { code: string } }).error.code, "environment-not-found");
    });
});
