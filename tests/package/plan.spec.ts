import * as assert from "node:assert/strict";
import * as path from "node:path";
import { PACKAGE_NAME } from "../../components/componentType";
import { CommandResult, describeFailure, runCommand } from "./commands";
import { OWN_PROGRAM, SDKS, Workspace, assertRegistered, binCommand, compileErrors, dependencyClosure, floors, installedCopies, manifest, mockedRun, strayFiles, workspace } from "./workspace";

/**
 * @fargate-service/plan from its tarball: the fargate-service-plan command plans a stack of the
 * dev preset and a program of the user's own, offline, through the installed bin; its library
 * entry compiles under Pulumi's template settings. Then the component and the plan on the lowest
 * SDK versions the peer ranges admit.
 */

interface PlanJson {
    stack: string;
    project: string;
    resources: { type: string; name: string }[];
    cost: { monthlyUsd: number };
    unrecognised: { type: string }[];
}

describe("@fargate-service/plan, installed from its tarball", () => {
    let ws: Workspace;
    let consumer: string;
    let compiled: CommandResult;
    let plan: CommandResult;
    let ownPlan: CommandResult;
    let exportsRun: CommandResult;

    before(async () => {
        ws = await workspace();
        consumer = ws.dirs.plan;
        assert.equal(ws.installs.plan.code, 0, describeFailure("npm install", ws.installs.plan));
        [compiled, plan, ownPlan, exportsRun] = await Promise.all([
            Promise.resolve(ws.compiled.plan),
            runCommand(binCommand(consumer, "fargate-service-plan"), ["test", "--json", "--dir", consumer], consumer),
            runCommand(binCommand(consumer, "fargate-service-plan"), ["--program", OWN_PROGRAM, "--stack", "test", "--json"], consumer),
            runCommand(
                process.execPath,
                ["-e", `let deep = "allowed"; try { require("@fargate-service/plan/dist/plan/engine"); } catch (e) { deep = e.code; } console.log(JSON.stringify({ planStack: typeof require("@fargate-service/plan").planStack, deep }));`],
                consumer,
            ),
        ]);
        console.log(`      seconds: compile ${compiled.seconds}, plan ${plan.seconds}, own program ${ownPlan.seconds}`);
    });

    it("packs compiled code, declarations, source maps, its price and timing data, README and LICENSE only", () => {
        assert.deepEqual(strayFiles(ws.packed.plan, /^$/), []);
        const paths = new Set(ws.packed.plan.files.map((f) => f.path));
        for (const needed of ["README.md", "LICENSE", "dist/plan/cli.js", "dist/plan/index.d.ts", "dist/analysis/data/awsPrices.js", "dist/analysis/data/provisioning-times.json"]) {
            assert.ok(paths.has(needed), `${needed} is not in the tarball`);
        }
        assert.deepEqual(ws.packed.plan.files.map((f) => f.path).filter((p) => /^dist\/(portal|policy\/index|index\.|tests|bench)/.test(p)), []);
    });

    it("brings the CLI's libraries and none of the portal's", () => {
        const closure = dependencyClosure(consumer, "@fargate-service/plan");
        for (const name of ["commander", "yaml", "cli-table3", "@viz-js/viz", "picocolors", "zod"]) assert.ok(closure.includes(name), `${name} is not installed with the plan`);
        for (const name of ["express", "jose", "@pulumi/policy", "@electric-sql/pglite", "pg"]) assert.ok(!closure.includes(name), `${name} came with the plan`);
    });

    it("uses the user's SDKs: one copy of @pulumi/pulumi and of @pulumi/aws", () => {
        for (const name of ["@pulumi/pulumi", "@pulumi/aws"]) assert.equal(installedCopies(consumer, name).length, 1, name);
    });

    it("types its library entry for Pulumi's template settings (no esModuleInterop, no resolveJsonModule, libraries checked)", () => {
        assert.deepEqual(compileErrors(compiled), []);
    });

    it("serves its library entry through package exports and hides the rest of dist/", () => {
        assert.equal(exportsRun.code, 0, describeFailure("requiring the package", exportsRun));
        assert.deepEqual(JSON.parse(exportsRun.stdout), { planStack: "function", deep: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
    });

    it("plans a stack file of the dev preset offline with the installed command", () => {
        assert.equal(plan.code, 0, describeFailure("fargate-service-plan", plan));
        const document = JSON.parse(plan.stdout) as PlanJson;
        assert.equal(document.stack, "test");
        assert.ok(document.resources.some((r) => r.type === `${PACKAGE_NAME}:index:FargateService`));
        assert.ok(document.cost.monthlyUsd > 0, "priced from the data compiled into the package");
    });

    it("plans a program of the user's own that composes the components by hand (--program)", () => {
        assert.equal(ownPlan.code, 0, describeFailure("fargate-service-plan --program", ownPlan));
        const document = JSON.parse(ownPlan.stdout) as PlanJson;
        assert.equal(document.project, "shop");
        for (const type of [`${PACKAGE_NAME}:index:FargateCluster`, `${PACKAGE_NAME}:index:ServiceLoadBalancer`, `${PACKAGE_NAME}:index:FargateService`, "aws:s3/bucket:Bucket"]) {
            assert.ok(document.resources.some((r) => r.type === type), `${type} was not planned`);
        }
        assert.ok(document.cost.monthlyUsd > 0);
        assert.deepEqual(document.unrecognised.map((u) => u.type), ["aws:dynamodb/table:Table"]);
    });
});

describe("@fargate-service/components and @fargate-service/plan on the lowest SDK versions the peer ranges admit", () => {
    let ws: Workspace;
    let floor: string;
    let compiled: CommandResult;
    let mocked: CommandResult;
    let plan: CommandResult;

    before(async () => {
        ws = await workspace();
        floor = ws.dirs.floor;
        assert.equal(ws.installs.floor.code, 0, describeFailure("npm install of the lowest supported SDKs", ws.installs.floor));
        [compiled, plan] = await Promise.all([
            Promise.resolve(ws.compiled.floor),
            // The plan drives the SDK's mock runtime: it must work on the lowest SDK too.
            runCommand(binCommand(floor, "fargate-service-plan"), ["test", "--json", "--dir", floor], floor),
        ]);
        mocked = await mockedRun(compiled, floor);
    });

    it(`installs @pulumi/pulumi ${floors["@pulumi/pulumi"]}, @pulumi/aws ${floors["@pulumi/aws"]} and @pulumi/awsx ${floors["@pulumi/awsx"]}, one copy each`, () => {
        for (const name of SDKS) {
            assert.deepEqual(installedCopies(floor, name).map((c) => [path.relative(floor, c.path), c.version]), [[path.join("node_modules", name), floors[name]]], `${name}: the floor of its peer range`);
        }
    });

    it("declares the same @pulumi/pulumi and @pulumi/aws ranges in the component, the plan and the Automation API", () => {
        const ranges = (dir: "components" | "plan" | "automation") => [manifest(dir).peerDependencies!["@pulumi/pulumi"], manifest(dir).peerDependencies!["@pulumi/aws"]];
        assert.deepEqual(ranges("plan"), ranges("components"));
        assert.deepEqual(ranges("automation"), ranges("components"));
    });

    it("compiles a user's program and every README example under Pulumi's template settings", () => {
        assert.deepEqual(compileErrors(compiled, ws.examples), []);
    });

    it("runs the program on the user's mocks and registers the components and their children", () => {
        assertRegistered(mocked, [`${PACKAGE_NAME}:index:FargateService`, "aws:ecs/service:Service", "aws:lb/loadBalancer:LoadBalancer", `${PACKAGE_NAME}:index:QueueWorker`, "aws:scheduler/schedule:Schedule"]);
    });

    it("plans a stack offline with the installed command", () => {
        assert.equal(plan.code, 0, describeFailure("fargate-service-plan on the lowest SDKs", plan));
        const document = JSON.parse(plan.stdout) as PlanJson;
        assert.ok(document.resources.some((r) => r.type === "aws:ecs/service:Service"));
        assert.ok(document.cost.monthlyUsd > 0);
    });
});
