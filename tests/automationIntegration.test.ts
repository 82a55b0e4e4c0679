import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { OperationEvent } from "../stacks/automation";
import { projectRoot } from "./planFixtures";

/**
 * A real `pulumi preview` through the Automation API: the CLI, the engine, the AWS provider and
 * the inline program together. Runs only where the Pulumi CLI and AWS credentials are; elsewhere
 * it says why it is skipped. The stack lives in a throwaway local file backend and is removed
 * afterwards; a preview creates nothing in AWS.
 */
describe("a real pulumi preview (needs the Pulumi CLI and AWS credentials)", function () {
    this.timeout(15 * 60_000);
    const backendDir = path.join(os.tmpdir(), `fargate-service-it-${process.pid}`);
    const name = `it-${Date.now().toString(36)}`;
    const options = () => ({
        projectDir: projectRoot,
        backendUrl: `file://${backendDir}`,
        secretsProvider: "passphrase",
        envVars: { PULUMI_CONFIG_PASSPHRASE: "integration-test-only" },
        workspaceDir: path.join(backendDir, "workspaces"),
    });

    before(function () {
        const missing: string[] = [];
        if (spawnSync("pulumi", ["version"], { encoding: "utf8" }).status !== 0) missing.push("the Pulumi CLI (`pulumi version` failed; install it with `curl -fsSL https://get.pulumi.com | sh`)");
        if (!process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE) missing.push("AWS credentials (neither AWS_ACCESS_KEY_ID nor AWS_PROFILE is set)");
        if (missing.length > 0) {
            console.log(`    Skipped: a real pulumi preview needs ${missing.join(" and ")}.`);
            this.skip();
        }
        fs.mkdirSync(backendDir, { recursive: true });
    });

    after(async function () {
        if (!fs.existsSync(backendDir)) return;
        const { destroyEnvironment } = await import("../stacks/automation");
        // The preview created an empty stack: remove it (a destroy of nothing is quick), then the backend.
        await destroyEnvironment(name, { ...options(), removeStack: true }).catch((error: Error) => console.log(`    Cleanup: ${error.message}`));
        fs.rmSync(backendDir, { recursive: true, force: true });
    });

    it("previews a worker-only environment, streaming progress from the engine", async () => {
        const { previewEnvironment } = await import("../stacks/automation");
        const events: OperationEvent[] = [];
        // A worker from a public image: no Docker build, so no Docker daemon needed.
        const config = { preset: "dev", services: { worker: { image: { uri: "public.ecr.aws/docker/library/busybox:1.37" }, loadBalancer: { enabled: false } } } };
        const outcome = await previewEnvironment(name, config, { ...options(), region: process.env.AWS_REGION ?? "us-east-1", onEvent: (e) => events.push(e) });
        assert.ok((outcome.changes.create ?? 0) > 10, `expected a preview that creates the environment, got ${JSON.stringify(outcome.changes)}`);
        assert.equal(events.find((e) => e.type === "started")?.type, "started");
        assert.ok(events.some((e) => e.type === "resource-started" && e.resourceType === "aws:ecs/service:Service"));
        assert.ok(events.some((e) => e.type === "summary"), "the engine's summary came through");
    });
});
