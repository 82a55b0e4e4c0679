import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as fc from "fast-check";
import {
    ConfigInvalidError,
    ConfirmationRequiredError,
    OperationCancelledError,
    PolicyViolationError,
    PulumiCliMissingError,
    QueueFullError,
    deployEnvironment,
    destroyEnvironment,
    localWorkspaces,
    normalizeBackendUrl,
    readStackFileEnvironment,
} from "../stacks/automation";
import { projectRoot } from "./planFixtures";
import { loggingBackend } from "./portalHarness";
import { gate } from "./gate";

describe("Automation API: order, bounds and guards", () => {
    let workspaceDir: string;
    const dev = () => readStackFileEnvironment(projectRoot, "dev").config;
    beforeEach(() => (workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), "automation-order-"))));
    afterEach(() => fs.rmSync(workspaceDir, { recursive: true, force: true }));

    it("runs a destroy asked for after a deploy after it, although the deploy plans first", async () => {
        const backend = loggingBackend();
        const options = { projectDir: projectRoot, workspaceDir, workspaces: backend.workspaces };
        // A config never planned before: its plan takes the mock engine's time, the destroy plans nothing.
        const config = { ...dev(), tags: { order: String(Math.random()) } };
        const deploy = deployEnvironment("dev", config, options);
        const destroy = destroyEnvironment("dev", options);
        await Promise.all([deploy, destroy]);
        assert.deepEqual(
            backend.log.map((entry) => entry.operation),
            ["up", "destroy"],
        );
    });

    it("refuses an operation beyond the queue's bound at once with QueueFullError and a retry delay", async () => {
        const held = gate();
        const backend = loggingBackend(() => held.promise);
        const options = { projectDir: projectRoot, workspaceDir, workspaces: backend.workspaces, backendUrl: `file://${workspaceDir}`, maxWaiting: 2 };
        const running = [destroyEnvironment("dev", options), destroyEnvironment("dev", options), destroyEnvironment("dev", options)];
        await assert.rejects(destroyEnvironment("dev", options), (error: unknown) => {
            assert.ok(error instanceof QueueFullError);
            assert.equal(error.waiting, 2);
            assert.ok(error.retryAfterSeconds > 0);
            return true;
        });
        held.open();
        await Promise.all(running);
        assert.equal(backend.log.length, 3, "the three within the bound ran");
    });

    it("never starts a queued operation whose caller left, and runs the ones after it", async () => {
        const held = gate();
        const backend = loggingBackend(() => held.promise);
        const options = { projectDir: projectRoot, workspaceDir, workspaces: backend.workspaces };
        const first = destroyEnvironment("dev", options);
        const leave = new AbortController();
        const second = destroyEnvironment("dev", { ...options, queueSignal: leave.signal });
        const third = destroyEnvironment("dev", options);
        leave.abort();
        await assert.rejects(second, OperationCancelledError);
        held.open();
        await Promise.all([first, third]);
        assert.equal(backend.log.length, 2);
    });

    it("queues the two spellings of one file backend behind each other", async () => {
        const held = gate();
        const backend = loggingBackend(() => held.promise);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backend-"));
        try {
            const base = { projectDir: projectRoot, workspaceDir, workspaces: backend.workspaces };
            const a = destroyEnvironment("dev", { ...base, backendUrl: `file://${dir}` });
            const b = destroyEnvironment("dev", { ...base, backendUrl: `FILE://${dir}//`, whenBusy: "fail" });
            await assert.rejects(b, /busy/);
            held.open();
            await a;
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("finds the Pulumi CLI where the SDK will spawn it, on the PATH, and refuses at once without it", () => {
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "bin-"));
        try {
            assert.throws(() => localWorkspaces.checkAvailable!({ PATH: bin }), PulumiCliMissingError);
            fs.writeFileSync(path.join(bin, "pulumi"), "#!/bin/sh\n", { mode: 0o644 });
            assert.throws(() => localWorkspaces.checkAvailable!({ PATH: bin }), PulumiCliMissingError, "a file that cannot run is no CLI");
            fs.chmodSync(path.join(bin, "pulumi"), 0o755);
            localWorkspaces.checkAvailable!({ PATH: `/nonexistent${path.delimiter}${bin}` });
        } finally {
            fs.rmSync(bin, { recursive: true, force: true });
        }
    });

    it("gives every spelling of a backend the same lock key", () => {
        const home = os.homedir();
        assert.equal(normalizeBackendUrl("file:///var/lib/state"), normalizeBackendUrl("file:///var/lib/state/"));
        assert.equal(normalizeBackendUrl("file:///var/lib/state"), normalizeBackendUrl("file:///var/lib/./other/../state"));
        assert.equal(normalizeBackendUrl("file://~"), normalizeBackendUrl(`file://${home}`));
        assert.equal(normalizeBackendUrl("file:///nonexistent/state/"), "file:///nonexistent/state");
        assert.equal(normalizeBackendUrl(" file://./state ", "/srv/project"), "file:///srv/project/state", "relative to the working directory");
        assert.equal(normalizeBackendUrl(undefined), process.env.PULUMI_BACKEND_URL ? normalizeBackendUrl(process.env.PULUMI_BACKEND_URL) : "(current backend)");
        assert.equal(normalizeBackendUrl("organization-local"), "organization-local", "not a URL: kept as given");
        assert.equal(normalizeBackendUrl("S3://Bucket/prefix/?region=eu-west-1"), "s3://bucket/prefix");
        assert.equal(normalizeBackendUrl("https://API.pulumi.com/"), "https://api.pulumi.com");
        assert.notEqual(normalizeBackendUrl("s3://bucket/a"), normalizeBackendUrl("s3://bucket/b"));
        fc.assert(
            fc.property(fc.stringMatching(/^[a-z0-9]{1,8}(\/[a-z0-9]{1,8}){0,3}$/), fc.integer({ min: 0, max: 3 }), (dir, slashes) => {
                assert.equal(normalizeBackendUrl(`file:///${dir}${"/".repeat(slashes)}`), normalizeBackendUrl(`file:///${dir}`));
            }),
        );
    });

    it("refuses a deploy whose plan fails a mandatory control before the CLI runs", async () => {
        const backend = loggingBackend();
        const prod = readStackFileEnvironment(projectRoot, "prod").config;
        await assert.rejects(deployEnvironment("prod", { ...prod, budget: { monthlyUsd: 1 } }, { projectDir: projectRoot, workspaceDir, workspaces: backend.workspaces }), (error: unknown) => {
            assert.ok(error instanceof PolicyViolationError);
            assert.deepEqual(
                error.violations.map((v) => v.id),
                ["cost-budget"],
            );
            return true;
        });
        assert.equal(backend.log.length, 0);
    });

    it("runs the project's policy pack with the stack's policy config on every deploy", async () => {
        const backend = loggingBackend();
        await deployEnvironment("dev", dev(), { projectDir: projectRoot, workspaceDir, workspaces: backend.workspaces });
        const options = backend.log[0].options;
        assert.deepEqual(options.policyPacks, [path.join(projectRoot, "policy")]);
        assert.equal(options.policyPackConfigs.length, 1);
    });

    it("refuses to destroy prod without its name as confirmation", async () => {
        const backend = loggingBackend();
        const options = { projectDir: projectRoot, workspaceDir, workspaces: backend.workspaces };
        await assert.rejects(destroyEnvironment("prod", options), ConfirmationRequiredError);
        await assert.rejects(destroyEnvironment("prod", { ...options, confirm: "dev" }), ConfirmationRequiredError);
        assert.equal(backend.log.length, 0);
        await destroyEnvironment("prod", { ...options, confirm: "prod" });
        assert.deepEqual(
            backend.log.map((e) => e.operation),
            ["destroy"],
        );
    });

    it("refuses a workspace directory whose stack directory would be the project or hold it, and deletes none of its stack files", async () => {
        const parent = fs.mkdtempSync(path.join(os.tmpdir(), "project-parent-"));
        try {
            // A project checked out at <parent>/box/dev: the workspace root <parent> gives stack "box"
            // the directory that holds it, and the root <parent>/box gives stack "dev" the project itself.
            const project = path.join(parent, "box", "dev");
            fs.mkdirSync(project, { recursive: true });
            for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml"]) fs.copyFileSync(path.join(projectRoot, file), path.join(project, file));
            const backend = loggingBackend();
            for (const [workspaceDir, stack] of [[path.join(parent, "box"), "dev"], [parent, "box"]]) {
                await assert.rejects(destroyEnvironment(stack, { projectDir: project, workspaceDir, workspaces: backend.workspaces, removeStack: true }), (error: unknown) => {
                    assert.ok(error instanceof ConfigInvalidError, String(error));
                    assert.match(error.message, /workspaceDir: .* is \(or holds\) the project's directory/);
                    return true;
                });
            }
            assert.equal(backend.log.length, 0);
            assert.deepEqual(fs.readdirSync(project).sort(), ["Pulumi.dev.yaml", "Pulumi.yaml"]);
        } finally {
            fs.rmSync(parent, { recursive: true, force: true });
        }
    });

    it("removes only the stack's own settings file with removeStack, never the caller's files beside it", async () => {
        const backend = loggingBackend();
        const stackDir = path.join(workspaceDir, "pr-9");
        fs.mkdirSync(stackDir, { recursive: true });
        fs.writeFileSync(path.join(stackDir, "Pulumi.pr-9.yaml"), "encryptionsalt: x\n");
        fs.writeFileSync(path.join(stackDir, "notes.txt"), "the caller's own file\n");
        fs.writeFileSync(path.join(workspaceDir, "keep.txt"), "beside the stack directory\n");
        const outcome = await destroyEnvironment("pr-9", { projectDir: projectRoot, workspaceDir, workspaces: backend.workspaces, removeStack: true });
        assert.equal(outcome.stackRemoved, true);
        assert.equal(fs.existsSync(path.join(stackDir, "Pulumi.pr-9.yaml")), false);
        assert.equal(fs.readFileSync(path.join(stackDir, "notes.txt"), "utf8"), "the caller's own file\n");
        assert.equal(fs.existsSync(path.join(workspaceDir, "keep.txt")), true);
    });
});
