import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { PolicyResource, ResourceValidation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { CONTROL_IDS } from "../analysis/controlIds";
import { runProgram } from "../plan/engine";
import { readStackConfig } from "../plan/stackConfig";
import { PolicyPackConfig, policyPackConfig } from "../policy/policyConfig";
import { POLICIES } from "../policy/policies";
import { environmentConfigFromPulumi, resolveEnvironment } from "../stacks/environment";
import { projectRoot } from "./planFixtures";

interface Violation {
    policy: string;
    level: string;
    message: string;
}

/** Runs the whole pack over a stack of the project, as `pulumi preview --policy-pack` would, with the config the stack implies. */
async function evaluatePack(stack: string): Promise<{ violations: Violation[]; config: PolicyPackConfig }> {
    const { environmentProgram } = await import("../stacks/program");
    const stackConfig = readStackConfig(projectRoot, stack);
    const env = resolveEnvironment(environmentConfigFromPulumi(stackConfig.config, stackConfig.project), { ...stackConfig, source: stackConfig.file });
    const config = policyPackConfig(env);
    const run = await runProgram(environmentProgram, { project: stackConfig.project, stack, config: stackConfig.config });

    const byUrn = new Map<string, PolicyResource>();
    for (const r of run.resources) {
        byUrn.set(r.urn, { type: r.type, props: r.inputs, urn: r.urn, name: r.name, opts: r.options as PolicyResource["opts"], dependencies: [], propertyDependencies: {}, isType: () => false, asType: () => undefined });
    }
    for (const r of run.resources) {
        const p = byUrn.get(r.urn)!;
        p.parent = r.parent ? byUrn.get(r.parent) : undefined;
        p.dependencies = r.dependencies.map((u) => byUrn.get(u)!).filter(Boolean);
        for (const [key, urns] of Object.entries(r.propertyDependencies)) p.propertyDependencies[key] = urns.map((u) => byUrn.get(u)!).filter(Boolean);
    }
    const resources = [...byUrn.values()];
    const violations: Violation[] = [];
    for (const policy of POLICIES) {
        const { enforcementLevel, ...own } = config[policy.name];
        const report = (message: string) => violations.push({ policy: policy.name, level: enforcementLevel, message });
        const common = { stackTags: new Map(), getConfig: () => own, notApplicable: () => undefined as never };
        if ("validateResource" in policy) {
            for (const r of resources) await ((policy as ResourceValidationPolicy).validateResource as ResourceValidation)({ ...r, ...common } as never, report);
        } else {
            await (policy as StackValidationPolicy).validateStack({ resources, ...common } as never, report);
        }
    }
    return { violations, config };
}

describe("policy pack", () => {
    it("passes every mandatory policy on the real prod stack", async () => {
        const { violations, config } = await evaluatePack("prod");
        assert.ok(Object.values(config).every((c) => c.enforcementLevel === "mandatory"), "prod enforces every control");
        assert.deepEqual(violations, []);
    });

    it("fails on dev only its documented waivers, as advisories", async () => {
        const { violations, config } = await evaluatePack("dev");
        const waived = Object.entries(config).filter(([, c]) => c.waiver).map(([id]) => id).sort();
        assert.deepEqual([...new Set(violations.map((v) => v.policy))].sort(), waived);
        assert.ok(violations.every((v) => v.level === "advisory" && v.message.includes("(waived: ")));
        assert.equal(config["ECS.5"].enforcementLevel, "advisory", "dev advises, even where nothing is waived");
    });

    describe("entry point", function () {
        this.timeout(30000);
        let pack: ChildProcess | undefined;
        after(() => pack?.kill());

        it("starts the pack's server and lists one policy per control", async () => {
            const policyDir = path.join(projectRoot, "policy");
            pack = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], { cwd: policyDir, stdio: ["ignore", "pipe", "pipe"] });
            let stderr = "";
            pack.stderr!.on("data", (d) => (stderr += d));
            // The server prints the port it listens on, as the engine expects.
            const port = await new Promise<string>((resolve, reject) => {
                pack!.stdout!.once("data", (d) => resolve(String(d).trim()));
                pack!.once("exit", (code) => reject(new Error(`the pack exited with ${code}: ${stderr}`)));
            });
            assert.match(port, /^\d+$/);

            // Ask it what the engine asks first: its name and policies.
            const fromSdk = createRequire(require.resolve("@pulumi/pulumi"));
            const grpc = fromSdk("@grpc/grpc-js");
            const { AnalyzerClient } = fromSdk("./proto/analyzer_grpc_pb");
            const { Empty } = fromSdk("google-protobuf/google/protobuf/empty_pb");
            const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
            const info = await new Promise<any>((resolve, reject) => client.getAnalyzerInfo(new Empty(), (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))));
            client.close();
            assert.equal(info.getName(), "fargate-service");
            const policies = info.getPoliciesList().map((p: any) => p.getName());
            assert.deepEqual(policies, [...CONTROL_IDS]);
            const ecs2 = info.getPoliciesList().find((p: any) => p.getName() === "ECS.2");
            assert.match(ecs2.getDescription(), /public IP/);
        });
    });
});
