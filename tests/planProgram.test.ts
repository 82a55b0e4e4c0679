import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PlanDocument } from "../plan/plan";
import { isEnvironmentProgram } from "../stacks/program";
import { cli } from "./cliHarness";
import { projectRoot } from "./planFixtures";

/** The consumer program: FargateCluster, ServiceLoadBalancer and FargateService composed by hand, a bucket and a table of its own. */
const consumer = path.join(projectRoot, "tests/fixtures/consumer-program");

/** A project of its own in a fresh directory: Pulumi.yaml, stack files and program files. */
function project(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-program-"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
}

const NODE_PROJECT = "name: mine\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n";

async function planJson(...args: string[]): Promise<{ code: number; doc: any; stderr: string }> {
    const run = await cli(...args, "--json");
    const lines = run.stdout.trim().split("\n");
    assert.equal(lines.length, 1, `exactly one JSON document on stdout, got: ${run.stdout}`);
    return { code: run.code, doc: JSON.parse(lines[0]), stderr: run.stderr };
}

describe("plan of any Pulumi program (--program DIR --stack NAME)", () => {
    let plan: PlanDocument;
    before(async function () {
        this.timeout(60000);
        const run = await planJson("--program", consumer, "--stack", "test");
        assert.equal(run.code, 0, run.stderr);
        plan = run.doc;
    });

    it("runs the consumer's own program with its own stack file and reports what it creates", () => {
        assert.equal(plan.project, "shop");
        assert.equal(plan.region, "eu-west-1", "aws:region from Pulumi.test.yaml");
        assert.match(plan.program, /consumer-program[/\\]index\.ts$/);
        assert.equal(plan.preset, undefined, "a program of its own has no preset");
        const names = (type: string) => plan.resources.filter((r) => r.type === type).map((r) => r.name);
        assert.deepEqual(names("fargate-service:index:FargateCluster"), ["shop"]);
        assert.deepEqual(names("fargate-service:index:ServiceLoadBalancer"), ["shop"]);
        assert.deepEqual(names("fargate-service:index:FargateService"), ["api"]);
        assert.deepEqual(names("aws:s3/bucket:Bucket"), ["uploads"]);
        const service = plan.resources.find((r) => r.type === "aws:ecs/service:Service")!;
        assert.equal(service.inputs.desiredCount, 2, "shop:apiReplicas from the stack file");
        assert.deepEqual((service.inputs.networkConfiguration as { subnets: string[] }).subnets, ["subnet-0cccccccccccccccc", "subnet-0dddddddddddddddd"]);
        assert.match(String(plan.outputs.url), /^http:\/\//);
    });

    it("prices the service's tasks and the load balancer the program composed", () => {
        const fargate = plan.cost.lines.filter((l) => l.category === "Fargate" && l.resource === "api");
        assert.ok(fargate.length > 0, "Fargate lines for api");
        assert.ok(plan.cost.lines.some((l) => l.priceKey === "alb.hour" && l.resource === "shop"));
        assert.ok(plan.cost.monthlyUsd > 0);
    });

    it("judges the controls, advisory without an environment preset", () => {
        assert.equal(plan.enforcement, "advisory");
        assert.equal(plan.controls.find((c) => c.id === "ELB.1")?.status, "fail", "the HTTP listener serves traffic");
        assert.equal(plan.controls.find((c) => c.id === "ECS.2")?.status, "pass", "no public IPs on the tasks");
        assert.equal(plan.preflight.findings.length, 0);
    });

    it("times the first deploy and the service's rolling update", () => {
        assert.ok(plan.deploy.firstDeploySeconds > 0);
        assert.deepEqual(plan.deploy.rollingUpdates.map((u) => u.service), ["api"]);
        assert.equal(plan.deploy.rollingUpdateTargetMinutes, undefined, "no target without an environment");
    });

    it("lists the resource types it does not recognise, and only those", () => {
        assert.deepEqual(plan.unrecognised, [{ type: "aws:dynamodb/table:Table", resources: ["sessions"], notPriced: true, defaultDeployTime: true }]);
    });

    it("says in the text report what it does not recognise", async () => {
        const run = await cli("--program", consumer, "--stack", "test");
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /NOT RECOGNISED\s+1 resource type/);
        assert.match(run.stdout, /aws:dynamodb\/table:Table\s+sessions\s+not in the cost; deploy time at the default/);
        assert.match(run.stdout, /^shop · test {2}program .*index\.ts · eu-west-1/);
    });

    it("plans the built-in program as one case of it: this project's index.ts gives the same plan as `plan dev`", async function () {
        this.timeout(60000);
        const [asProgram, builtIn] = [await planJson("--program", projectRoot, "--stack", "dev"), await planJson("dev", "--dir", projectRoot)];
        assert.equal(asProgram.code, 0, asProgram.stderr);
        assert.equal(asProgram.doc.preset, "dev");
        assert.equal(asProgram.doc.enforcement, "advisory");
        assert.equal(asProgram.doc.program, "index.ts");
        assert.equal(builtIn.doc.program, "built-in");
        const strip = (doc: PlanDocument) => ({ ...doc, program: undefined });
        assert.deepEqual(strip(asProgram.doc), strip(builtIn.doc));
        assert.deepEqual(builtIn.doc.unrecognised, [], "every type the built-in program creates is known");
    });

    it("knows the environment program by its mark, not by identity: a second copy of its module (a bundled plan planning index.ts) is still it", () => {
        const file = require.resolve("../stacks/program");
        const original = require.cache[file]!;
        delete require.cache[file];
        let copy: typeof import("../stacks/program");
        try {
            copy = require(file);
        } finally {
            require.cache[file] = original;
        }
        assert.notEqual(copy.environmentProgram, original.exports.environmentProgram, "a second instance of the module");
        assert.ok(isEnvironmentProgram(copy.environmentProgram));
        assert.ok(isEnvironmentProgram(original.exports.environmentProgram));
        assert.ok(!isEnvironmentProgram(async () => ({})), "another program is not");
        assert.ok(!isEnvironmentProgram({ ...copy }), "nor the module's exports");
    });

    describe("refuses, with exit status 1, one JSON document and no stack trace", () => {
        it("a directory without Pulumi.yaml", async () => {
            const dir = project({ "index.ts": "export {};\n" });
            const run = await planJson("--program", dir, "--stack", "dev");
            assert.equal(run.code, 1);
            assert.deepEqual(run.doc, { ok: false, exitCode: 1, problems: [{ source: dir, path: "Pulumi.yaml", message: "not found: --program takes a Pulumi project's directory (the one with Pulumi.yaml)" }] });
            assert.doesNotMatch(run.stderr, /\n\s+at /);
        });

        it("a stack without its stack file, naming the stacks there", async () => {
            const run = await planJson("--program", consumer, "--stack", "prod");
            assert.equal(run.code, 1);
            assert.deepEqual(run.doc.problems, [{ source: "Pulumi.prod.yaml", path: "stack", message: 'no stack "prod" here; stacks: test' }]);
        });

        for (const runtime of ["python", "go", "dotnet", "yaml"]) {
            it(`a ${runtime} program, naming the runtime`, async () => {
                const dir = project({ "Pulumi.yaml": `name: mine\nruntime: ${runtime}\n`, "Pulumi.dev.yaml": "config: {}\n" });
                const run = await planJson("--program", dir, "--stack", "dev");
                assert.equal(run.code, 1);
                assert.equal(run.doc.problems[0].path, "runtime");
                assert.match(run.stderr, new RegExp(`Pulumi.yaml: runtime: is "${runtime}": the plan runs Node.js programs only`));
            });
        }

        it("a main that names no file", async () => {
            const dir = project({ "Pulumi.yaml": `${NODE_PROJECT}main: src/missing.ts\n`, "Pulumi.dev.yaml": "config: {}\n" });
            const run = await planJson("--program", dir, "--stack", "dev");
            assert.equal(run.code, 1);
            assert.equal(run.doc.problems[0].path, "main");
        });

        it("both a stack argument and a different --stack", async () => {
            const run = await planJson("dev", "--program", consumer, "--stack", "test");
            assert.equal(run.code, 1);
            assert.equal(run.doc.problems[0].path, "--stack");
        });
    });

    it("shows the message of a program that throws, says it came from the program, and exits 4", async () => {
        const dir = project({
            "Pulumi.yaml": NODE_PROJECT,
            "Pulumi.dev.yaml": "config:\n  mine:size: huge\n",
            "index.ts": 'const size: string = "huge";\nif (size === "huge") throw new Error("mine:size must be small or large");\nexport {};\n',
        });
        const run = await planJson("--program", dir, "--stack", "dev");
        assert.equal(run.code, 4);
        assert.equal(run.doc.exitCode, 4);
        assert.deepEqual(run.doc.problems.map((p: { path: string; message: string }) => [p.path, p.message]), [["(program)", "mine:size must be small or large"]]);
        assert.match(run.doc.problems[0].source, /index\.ts$/);
        assert.match(run.stderr, /^the program .*index\.ts failed: mine:size must be small or large\n\(the error came from the program, not from the plan/);
        assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace without --debug");
        assert.doesNotMatch(run.stderr, /this is a bug/);
    });

    it("runs a program that exports a function, and its result becomes the outputs", async () => {
        const dir = project({
            "Pulumi.yaml": NODE_PROJECT,
            "Pulumi.dev.yaml": "config:\n  aws:region: eu-north-1\n  mine:greeting: hello\n",
            "index.ts": 'export = async () => ({ greeting: process.env.NOPE ?? "from a function" });\n',
        });
        const run = await planJson("--program", dir, "--stack", "dev");
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(run.doc.outputs, { greeting: "from a function" });
        assert.equal(run.doc.region, "eu-north-1");
        assert.deepEqual(run.doc.resources.map((r: { type: string }) => r.type), ["pulumi:pulumi:Stack"]);
    });
});
