import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigMap, EngineEvent, InlineProgramArgs, LocalWorkspaceOptions, OutputMap, StackSummary } from "@pulumi/pulumi/automation";
import type { PlanDocument } from "../plan/plan";
import { policyPackConfig } from "../stacks/policyPackConfig";
import {
    ConfigInvalidError,
    EnvironmentBusyError,
    EnvironmentNotFoundError,
    EnvironmentStack,
    OperationCancelledError,
    OperationEvent,
    PulumiOperationError,
    PulumiWorkspaces,
    createEphemeralEnvironment,
    deployEnvironment,
    destroyEnvironment,
    destroyEphemeralEnvironment,
    environmentOutputs,
    listEnvironments,
    planEnvironment,
    previewEnvironment,
    readStackFileEnvironment,
    refreshEnvironment,
    validateEnvironment,
} from "../stacks/automation";
import { environmentProgram } from "../stacks/program";
import { projectRoot } from "./planFixtures";
import { cliFailure } from "./pulumiCli";
import { gate } from "./gate";


type Operation = "preview" | "up" | "refresh" | "destroy";

/** A stack on the pretend backend: keeps its config, records the operations asked of it. */
class RecordedStack implements EnvironmentStack {
    config: ConfigMap = {};
    operations: { operation: Operation; options: Record<string, any> }[] = [];
    resources: { type: string }[] = [];

    constructor(
        private readonly name: string,
        private readonly backend: RecordingWorkspaces,
    ) {}

    async getAllConfig() {
        return { ...this.config };
    }
    async setAllConfig(config: ConfigMap) {
        Object.assign(this.config, config);
    }
    async removeAllConfig(keys: string[]) {
        for (const key of keys) delete this.config[key];
    }
    async preview(options: Record<string, any> = {}) {
        await this.run("preview", options);
        return { stdout: "", stderr: "", changeSummary: { create: 3 } };
    }
    async up(options: Record<string, any> = {}) {
        await this.run("up", options);
        const outputs: OutputMap = { url: { value: "http://dev-123.us-east-1.elb.amazonaws.com", secret: false }, token: { value: "s3cr3t", secret: true } };
        return { stdout: "", stderr: "", outputs, summary: { resourceChanges: { create: 3 } } as never };
    }
    async refresh(options: Record<string, any> = {}) {
        await this.run("refresh", options);
        return { stdout: "", stderr: "", summary: { resourceChanges: { same: 3 } } as never };
    }
    async destroy(options: Record<string, any> = {}) {
        await this.run("destroy", options);
        return { stdout: "", stderr: "", summary: { resourceChanges: { delete: 3 } } as never };
    }
    async outputs(): Promise<OutputMap> {
        return { clusterName: { value: "dev", secret: false } };
    }
    async exportStack() {
        return { version: 3, deployment: { resources: this.resources } };
    }

    private async run(operation: Operation, options: Record<string, any>) {
        this.operations.push({ operation, options });
        this.backend.log.push(`${operation} starts ${this.name}`);
        await this.backend.during?.(this.name, options);
        for (const event of this.backend.engineEvents) options.onEvent?.(event);
        this.backend.log.push(`${operation} ends ${this.name}`);
        if (this.backend.failWith) throw this.backend.failWith;
    }
}

/** Stands in for the CLI: records what each call asked for, keeps stacks by name. */
class RecordingWorkspaces implements PulumiWorkspaces {
    readonly stacks = new Map<string, RecordedStack>();
    readonly calls: { method: string; args?: InlineProgramArgs; options: LocalWorkspaceOptions; stackName?: string }[] = [];
    readonly log: string[] = [];
    engineEvents: EngineEvent[] = [];
    failWith?: Error;
    /** Runs inside each operation, before its events: to hold it, or to look at its options. */
    during?: (stack: string, options: Record<string, any>) => Promise<void>;

    async createOrSelectStack(args: InlineProgramArgs, options: LocalWorkspaceOptions) {
        this.calls.push({ method: "createOrSelectStack", args, options });
        this.log.push(`select ${args.stackName}`);
        if (!this.stacks.has(args.stackName)) this.stacks.set(args.stackName, new RecordedStack(args.stackName, this));
        return this.stacks.get(args.stackName)!;
    }
    async selectStack(args: InlineProgramArgs, options: LocalWorkspaceOptions) {
        this.calls.push({ method: "selectStack", args, options });
        const stack = this.stacks.get(args.stackName);
        if (!stack) throw cliFailure(`error: no stack named '${args.stackName}' found`);
        return stack;
    }
    async removeStack(stackName: string, options: LocalWorkspaceOptions) {
        this.calls.push({ method: "removeStack", stackName, options });
        this.log.push(`remove ${stackName}`);
        this.stacks.delete(stackName);
    }
    async listStacks(options: LocalWorkspaceOptions): Promise<StackSummary[]> {
        this.calls.push({ method: "listStacks", options });
        return [...this.stacks.keys()].map((name) => ({ name, current: false, updateInProgress: false, resourceCount: 3, lastUpdate: "2026-11-20T10:00:00.000Z" }));
    }
}

/** A small valid environment: one worker without load balancer, which plans fast. */
const WORKER = { preset: "dev", services: { worker: { image: { uri: "public.ecr.aws/docker/library/busybox:1.37" }, loadBalancer: { enabled: false } } } };

/** Resolves once `condition` holds (checked every 5 ms), so tests wait for a state, not a duration. */
async function until(condition: () => boolean): Promise<void> {
    for (let waited = 0; !condition(); waited += 5) {
        if (waited > 5000) throw new Error("the awaited state never came");
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
}

describe("Automation API", () => {
    let workspaces: RecordingWorkspaces;
    let workspaceDir: string;
    const options = () => ({ projectDir: projectRoot, workspaces, workspaceDir });
    const dev = readStackFileEnvironment(projectRoot, "dev");

    beforeEach(() => {
        workspaces = new RecordingWorkspaces();
        workspaceDir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "automation-test-"));
    });
    afterEach(() => fs.rmSync(workspaceDir, { recursive: true, force: true }));

    describe("planEnvironment", () => {
        it("returns the offline plan of a config, the same as the stack file's, without a CLI", async () => {
            const { planStack } = await import("../plan/plan");
            const fromFile = await planStack(projectRoot, "dev");
            const PATH = process.env.PATH;
            process.env.PATH = "/nonexistent";
            let plan: PlanDocument;
            try {
                plan = await planEnvironment("dev", dev.config, { projectDir: projectRoot, region: dev.aws.region });
            } finally {
                process.env.PATH = PATH;
            }
            assert.equal(plan.cost.monthlyUsd, fromFile.cost.monthlyUsd);
            assert.equal(plan.resources.length, fromFile.resources.length);
            assert.deepEqual(
                plan.controls.map((c) => [c.id, c.status]),
                fromFile.controls.map((c) => [c.id, c.status]),
            );
        });

        it("hands each caller a plan of its own, even when the config was planned before", async () => {
            const first = await planEnvironment("dev", WORKER, { projectDir: projectRoot });
            first.cost.monthlyUsd = -1;
            first.resources.length = 0;
            const second = await planEnvironment("dev", WORKER, { projectDir: projectRoot });
            assert.ok(second.cost.monthlyUsd > 0);
            assert.ok(second.resources.length > 0);
        });
    });

    describe("validation, before the CLI is touched", () => {
        it("lists every problem of a config, in the stack files' words, and calls nothing", async () => {
            const bad = { preset: "dev", services: { api: { image: { uri: "nginx:1" }, cpu: 300 } }, budgets: {} };
            const error = await deployEnvironment("dev", bad, options()).then(
                () => assert.fail("expected a ConfigInvalidError"),
                (e: unknown) => e,
            );
            assert.ok(error instanceof ConfigInvalidError, String(error));
            assert.equal(error.code, "config-invalid");
            const lines = error.message.split("\n");
            assert.ok(lines.some((l) => l.startsWith("config: fargate-service:services.api.cpu: 300 is not a Fargate CPU size")), error.message);
            assert.ok(lines.some((l) => l.startsWith('config: fargate-service:budgets: unknown key; did you mean "budget"?')), error.message);
            assert.equal(error.problems.length, lines.length);
            assert.deepEqual(workspaces.calls, []);
        });

        it("refuses a name that cannot name AWS resources, for every operation", async () => {
            for (const call of [
                () => previewEnvironment("Dev_1", WORKER, options()),
                () => deployEnvironment("Dev_1", WORKER, options()),
                () => refreshEnvironment("Dev_1", options()),
                () => destroyEnvironment("Dev_1", options()),
                () => environmentOutputs("Dev_1", options()),
            ]) {
                await assert.rejects(call, (e: unknown) => e instanceof ConfigInvalidError && /"Dev_1" cannot name an environment/.test(e.message));
            }
            assert.deepEqual(workspaces.calls, []);
        });

        it("exposes the validation alone, for a form to check as the user types", () => {
            assert.equal(validateEnvironment("dev", WORKER, { projectDir: projectRoot }).services.worker.desiredCount, 1);
            assert.throws(() => validateEnvironment("dev", { preset: "staging" }, { projectDir: projectRoot }), /config: fargate-service:preset: "staging" is not one of "dev", "prod"/);
        });
    });

    describe("the inline program and the stack's config", () => {
        it("runs the very function index.ts exports, not a copy", async () => {
            await deployEnvironment("dev", WORKER, options());
            const program = workspaces.calls[0].args?.program;
            assert.equal(program, environmentProgram);
            assert.equal(program, require("../index"));
        });

        it("gives the stack the config under the project's namespace, structured values as JSON, region and profile as aws: keys", async () => {
            await deployEnvironment("dev", dev.config, { ...options(), region: "eu-west-1", profile: "sandbox" });
            const config = workspaces.stacks.get("dev")!.config;
            assert.equal(config["fargate-service:preset"].value, "dev");
            assert.equal(config["aws:region"].value, "eu-west-1");
            assert.equal(config["aws:profile"].value, "sandbox");
            const services = JSON.parse(config["fargate-service:services"].value);
            assert.deepEqual(Object.keys(services), Object.keys(dev.config.services as object));
            assert.equal(services.api.image.build.context, path.join(projectRoot, "examples/app"), "a relative build context is anchored to the project");
            assert.ok(Object.values(config).every((c) => !c.secret));
        });

        it("removes the project's keys the new config no longer has, and leaves other namespaces alone", async () => {
            const stack = await workspaces.createOrSelectStack({ stackName: "dev", projectName: "fargate-service", program: async () => ({}) }, {});
            stack.config = { "fargate-service:domain": { value: '{"name":"app.example.com"}' }, "aws:skipMetadataApiCheck": { value: "false" } };
            await deployEnvironment("dev", WORKER, options());
            assert.equal(stack.config["fargate-service:domain"], undefined);
            assert.equal(stack.config["aws:skipMetadataApiCheck"].value, "false");
        });

        it("gives each stack a workspace of its own, outside the project, with the backend, secrets provider and profile", async () => {
            const backend = { ...options(), backendUrl: "s3://acme-pulumi-state", secretsProvider: "awskms://alias/pulumi", profile: "sandbox" };
            await deployEnvironment("dev", WORKER, backend);
            await deployEnvironment("pr-1", WORKER, backend);
            const [dev1, pr1] = workspaces.calls.map((c) => c.options);
            assert.notEqual(dev1.workDir, pr1.workDir);
            assert.ok(!dev1.workDir!.startsWith(projectRoot), "the stack files in the project stay untouched");
            assert.equal(dev1.projectSettings?.name, "fargate-service");
            assert.equal(dev1.secretsProvider, "awskms://alias/pulumi");
            assert.equal(dev1.envVars?.PULUMI_BACKEND_URL, "s3://acme-pulumi-state");
            assert.equal(dev1.envVars?.AWS_PROFILE, "sandbox");
        });
    });

    describe("progress and results", () => {
        it("streams progress mapped from the engine, with the offline plan's resource count as the total", async () => {
            const stackUrn = "urn:pulumi:dev::fargate-service::pulumi:pulumi:Stack::fargate-service-dev";
            const metadata = { op: "create", urn: stackUrn, type: "pulumi:pulumi:Stack", provider: "" };
            workspaces.engineEvents = [
                { sequence: 0, timestamp: 1, preludeEvent: { config: {} } },
                { sequence: 1, timestamp: 2, resourcePreEvent: { metadata } },
                { sequence: 2, timestamp: 3, resOutputsEvent: { metadata } },
                { sequence: 3, timestamp: 4, summaryEvent: { maybeCorrupt: false, durationSeconds: 3, resourceChanges: { create: 1 }, policyPacks: {} } },
            ] as unknown as EngineEvent[];
            const events: OperationEvent[] = [];
            const outcome = await deployEnvironment("dev", WORKER, { ...options(), onEvent: (e) => events.push(e) });
            const planned = (await planEnvironment("dev", WORKER, { projectDir: projectRoot })).resources.length;
            assert.deepEqual(
                events.map((e) => e.type),
                ["started", "resource-started", "resource-done", "summary"],
            );
            assert.deepEqual(events[0], { type: "started", environment: "dev", operation: "deploy", total: planned });
            assert.deepEqual(outcome, { environment: "dev", changes: { create: 3 }, outputs: { url: "http://dev-123.us-east-1.elb.amazonaws.com", token: "[secret]" } });
            const up = workspaces.stacks.get("dev")!.operations[0].options;
            assert.equal(up.color, "never");
        });

        it("does not let a failing progress callback stop the update", async () => {
            workspaces.engineEvents = [{ sequence: 0, timestamp: 1, preludeEvent: { config: {} } }] as EngineEvent[];
            const outcome = await deployEnvironment("dev", WORKER, {
                ...options(),
                onEvent: () => {
                    throw new Error("the browser went away");
                },
            });
            assert.equal(outcome.environment, "dev");
        });

        it("counts refresh and destroy progress against the resources in the stack's state", async () => {
            const stack = await workspaces.createOrSelectStack({ stackName: "pr-2", projectName: "fargate-service", program: async () => ({}) }, {});
            stack.resources = [{ type: "pulumi:pulumi:Stack" }, { type: "pulumi:providers:aws" }, { type: "aws:ecs/cluster:Cluster" }];
            workspaces.engineEvents = [{ sequence: 0, timestamp: 1, preludeEvent: { config: {} } }] as EngineEvent[];
            const events: OperationEvent[] = [];
            const outcome = await destroyEnvironment("pr-2", { ...options(), onEvent: (e) => events.push(e) });
            assert.deepEqual(events, [{ type: "started", environment: "pr-2", operation: "destroy", total: 2 }]);
            assert.deepEqual(outcome, { environment: "pr-2", changes: { delete: 3 }, stackRemoved: false });
            assert.ok(workspaces.stacks.has("pr-2"), "a plain destroy keeps the stack");
        });

        it("runs the policy pack with the environment's policy config", async () => {
            let policyConfig: unknown;
            workspaces.during = async (_stack, opts) => {
                policyConfig = JSON.parse(fs.readFileSync(opts.policyPackConfigs[0], "utf8"));
            };
            await previewEnvironment("dev", dev.config, { ...options(), region: dev.aws.region, policyPack: path.join(projectRoot, "policy") });
            const preview = workspaces.stacks.get("dev")!.operations[0].options;
            assert.deepEqual(preview.policyPacks, [path.join(projectRoot, "policy")]);
            const spec = validateEnvironment("dev", dev.config, { projectDir: projectRoot, region: dev.aws.region });
            assert.deepEqual(policyConfig, JSON.parse(JSON.stringify(policyPackConfig(spec))));
            const waiver = (dev.config.waivers as Record<string, { reason: string; expires: string }>)["ECS.2"];
            const ecs2 = (policyConfig as Record<string, { waiver?: string; waiverExpires?: string }>)["ECS.2"];
            assert.deepEqual([ecs2.waiver, ecs2.waiverExpires], [waiver.reason, waiver.expires]);
            assert.ok(!fs.existsSync(preview.policyPackConfigs[0]), "the config file is removed afterwards");
        });

        it("reads outputs and lists environments", async () => {
            await deployEnvironment("dev", WORKER, options());
            assert.deepEqual(await environmentOutputs("dev", options()), { clusterName: "dev" });
            assert.deepEqual(await listEnvironments(options()), [{ name: "dev", lastUpdate: "2026-11-20T10:00:00.000Z", updateInProgress: false, resourceCount: 3 }]);
        });
    });

    describe("one operation at a time per stack", () => {
        it("queues a second operation on the same stack until the first has finished", async () => {
            const first = gate();
            let held = false;
            workspaces.during = async () => {
                if (held) return;
                held = true;
                await first.promise;
            };
            const events: OperationEvent[] = [];
            const a = deployEnvironment("dev", WORKER, options());
            const b = deployEnvironment("dev", WORKER, { ...options(), onEvent: (e) => events.push(e) });
            await until(() => events.length > 0 && workspaces.log.includes("up starts dev"));
            assert.deepEqual(workspaces.log, ["select dev", "up starts dev"], "the second deploy has not selected the stack yet");
            assert.deepEqual(events, [{ type: "queued", environment: "dev", operation: "deploy", ahead: 1 }]);
            first.open();
            await Promise.all([a, b]);
            assert.deepEqual(workspaces.log, ["select dev", "up starts dev", "up ends dev", "select dev", "up starts dev", "up ends dev"]);
        });

        it("runs operations on different stacks in parallel", async () => {
            const devHeld = gate();
            workspaces.during = async (stack) => {
                if (stack === "dev") await devHeld.promise;
            };
            const a = deployEnvironment("dev", WORKER, options());
            await deployEnvironment("pr-1", WORKER, options());
            assert.deepEqual(
                workspaces.log.filter((l) => l.startsWith("up ")),
                ["up starts dev", "up starts pr-1", "up ends pr-1"],
                "pr-1 deployed while dev was still deploying",
            );
            devHeld.open();
            await a;
        });

        it("fails at once with EnvironmentBusyError when asked not to wait", async () => {
            const first = gate();
            workspaces.during = () => first.promise;
            const a = deployEnvironment("dev", WORKER, options());
            await until(() => workspaces.log.includes("up starts dev"));
            await assert.rejects(deployEnvironment("dev", WORKER, { ...options(), whenBusy: "fail" }), (e: unknown) => e instanceof EnvironmentBusyError && /another operation of this process/.test(e.message));
            first.open();
            await a;
        });

        it("reports a stack locked by another process as busy", async () => {
            workspaces.failWith = cliFailure("error: [409] Conflict: Another update is currently in progress.");
            await assert.rejects(deployEnvironment("dev", WORKER, options()), EnvironmentBusyError);
        });
    });

    describe("failures and cancellation", () => {
        it("reports a stack the backend does not have as not found", async () => {
            await assert.rejects(environmentOutputs("pr-9", options()), (e: unknown) => e instanceof EnvironmentNotFoundError && e.environment === "pr-9");
            await assert.rejects(destroyEnvironment("pr-9", options()), EnvironmentNotFoundError);
        });

        it("names the engine's error diagnostic when the CLI only says the update failed", async () => {
            workspaces.engineEvents = [
                { sequence: 1, timestamp: 1, diagnosticEvent: { message: "creating ECS Service (dev-worker): InvalidParameterException: The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster\n", color: "never", severity: "error" } },
            ] as EngineEvent[];
            workspaces.failWith = cliFailure("error: update failed");
            await assert.rejects(deployEnvironment("dev", WORKER, options()), (e: unknown) => e instanceof PulumiOperationError && e.message.includes("InvalidParameterException: The specified capacity provider strategy"));
        });

        it("does nothing when cancelled before it starts", async () => {
            const controller = new AbortController();
            controller.abort();
            await assert.rejects(deployEnvironment("dev", WORKER, { ...options(), signal: controller.signal }), OperationCancelledError);
            assert.deepEqual(workspaces.calls, []);
        });

        it("hands the signal to the CLI and reports its failure as a cancellation", async () => {
            const controller = new AbortController();
            workspaces.during = async (_stack, opts) => {
                assert.equal(opts.signal, controller.signal);
                controller.abort();
            };
            workspaces.failWith = cliFailure("error: update canceled");
            await assert.rejects(deployEnvironment("dev", WORKER, { ...options(), signal: controller.signal }), OperationCancelledError);
        });
    });

    describe("ephemeral environments", () => {
        it("creates pr-123 from dev's config: same services, dev preset, dev's region, tagged ephemeral", async () => {
            await createEphemeralEnvironment("pr-123", options());
            const config = workspaces.stacks.get("pr-123")!.config;
            assert.equal(config["fargate-service:preset"].value, "dev");
            assert.deepEqual(Object.keys(JSON.parse(config["fargate-service:services"].value)), Object.keys(dev.config.services as object));
            assert.equal(config["aws:region"].value, dev.aws.region);
            assert.deepEqual(JSON.parse(config["fargate-service:tags"].value), { lifecycle: "ephemeral" });
        });

        it("refuses the name of a long-lived environment, and names that cannot name AWS resources", async () => {
            await assert.rejects(createEphemeralEnvironment("prod", options()), /"prod" is a long-lived environment \(Pulumi\.prod\.yaml\)/);
            await assert.rejects(destroyEphemeralEnvironment("dev", options()), /"dev" is a long-lived environment/);
            await assert.rejects(createEphemeralEnvironment("PR-123", options()), ConfigInvalidError);
            assert.deepEqual(workspaces.calls, []);
        });

        it("destroys pr-123's resources, then removes its stack and workspace", async () => {
            await createEphemeralEnvironment("pr-123", options());
            const workDir = workspaces.calls[0].options.workDir!;
            const outcome = await destroyEphemeralEnvironment("pr-123", options());
            assert.deepEqual(outcome.stackRemoved, true);
            assert.deepEqual(workspaces.log.slice(-3), ["destroy starts pr-123", "destroy ends pr-123", "remove pr-123"]);
            assert.ok(!workspaces.stacks.has("pr-123"));
            assert.ok(!fs.existsSync(workDir));
        });
    });
});
