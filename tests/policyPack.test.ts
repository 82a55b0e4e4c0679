import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { CONTROL_IDS } from "../analysis/controlIds";
import { runProgram } from "../plan/engine";
import { readStackConfig } from "../stacks/stackConfig";
import { PREFLIGHT_POLICY, PolicyPackConfig } from "../policy/policyConfig";
import { policyPackConfig } from "../stacks/policyPackConfig";
import { POLICIES } from "../policy/policies";
import { projectRoot } from "./planFixtures";
import { runPolicy, toPolicyResources } from "./policyHarness";

interface Violation {
    policy: string;
    level: string;
    message: string;
}

/** Runs the whole pack over a stack of the project, as `pulumi preview --policy-pack` would, with the config the stack implies. */
async function evaluatePack(stack: string): Promise<{ violations: Violation[]; config: PolicyPackConfig }> {
    const { environmentProgram } = await import("../stacks/program");
    const { resolveStackEnvironment } = await import("../plan/plan");
    const stackConfig = readStackConfig(projectRoot, stack);
    const config = policyPackConfig(resolveStackEnvironment(stackConfig));
    const run = await runProgram(environmentProgram, { project: stackConfig.project, stack, config: stackConfig.config });
    const resources = toPolicyResources(run.resources);
    const violations: Violation[] = [];
    for (const policy of POLICIES) {
        const { enforcementLevel, ...own } = config[policy.name];
        for (const message of await runPolicy(policy.name, resources, own)) violations.push({ policy: policy.name, level: enforcementLevel, message });
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
        assert.ok(violations.every((v) => v.level === "advisory" && /\(waived until \d{4}-\d{2}-\d{2}, approved by [^:]+: /.test(v.message)));
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
            assert.deepEqual(policies, [...CONTROL_IDS, PREFLIGHT_POLICY]);
            const ecs2 = info.getPoliciesList().find((p: any) => p.getName() === "ECS.2");
            assert.match(ecs2.getDescription(), /public IP/);
        });
    });
});
