import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PACKAGE_NAME } from "../../components/componentType";
import { CommandResult, describeFailure, runCommand } from "./commands";
import { exampleFile } from "./consumerProject";
import { Workspace, assertRegistered, compileErrors, dependencyClosure, installedCopies, installedPackages, manifest, mockedRun, rootPackage, strayFiles, workspace } from "./workspace";

/**
 * @fargate-service/components from its tarball, in a user's Pulumi project beside the user's own
 * SDKs: compiled under Pulumi's template settings, run on the user's mocks, and lean: it brings
 * only what the components need.
 */

/** What a CLI, a plot, a table or a YAML file needs, and a component never does. */
const TOOLING = ["commander", "yaml", "cli-table3", "@viz-js/viz", "picocolors", "express", "jose", "@electric-sql/pglite", "pg", "@pulumi/policy"];
const COMPONENT_TYPES = [
    `${PACKAGE_NAME}:index:FargateService`,
    "aws:ecs/cluster:Cluster",
    "aws:ecs/taskDefinition:TaskDefinition",
    "aws:ecs/service:Service",
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:lb/targetGroup:TargetGroup",
    "aws:iam/role:Role",
    "aws:cloudwatch/logGroup:LogGroup",
    `${PACKAGE_NAME}:index:QueueWorker`,
    "aws:sqs/queue:Queue",
    `${PACKAGE_NAME}:index:ScheduledTask`,
    "aws:scheduler/schedule:Schedule",
];

describe("@fargate-service/components, installed from its tarball", () => {
    let ws: Workspace;
    let consumer: string;
    let compiled: CommandResult;
    let mocked: CommandResult;
    let exportsRun: CommandResult;

    before(async () => {
        ws = await workspace();
        consumer = ws.dirs.components;
        assert.equal(ws.installs.components.code, 0, describeFailure("npm install", ws.installs.components));
        compiled = ws.compiled.components;
        [mocked, exportsRun] = await Promise.all([
            mockedRun(compiled, consumer),
            runCommand(
                process.execPath,
                [
                    "-e",
                    `let deep = "allowed"; try { require("@fargate-service/components/dist/core/names"); } catch (e) { deep = e.code; }
                     console.log(JSON.stringify({ FargateService: typeof require("@fargate-service/components").FargateService, deep }));`,
                ],
                consumer,
            ),
        ]);
        console.log(`      seconds: compile ${compiled.seconds}, mocked run ${mocked.seconds}`);
    });

    it("packs compiled code, declarations, source maps, README and LICENSE only", () => {
        assert.deepEqual(strayFiles(ws.packed.components, /^$/), []);
        const paths = new Set(ws.packed.components.files.map((f) => f.path));
        for (const needed of ["README.md", "LICENSE", "dist/components/index.js", "dist/components/index.d.ts"]) assert.ok(paths.has(needed), `${needed} is not in the tarball`);
    });

    it("holds the components and the pure code they run, and nothing of the plan, the analysis, the environments or the portal", () => {
        const leaked = ws.packed.components.files.map((f) => f.path).filter((p) => /^dist\/(plan|analysis|stacks|automation|portal|policy|plugin|tests|bench)\//.test(p) || /^dist\/index\./.test(p));
        assert.deepEqual(leaked, []);
    });

    it("brings @balena/dockerignore, fastest-levenshtein and zod and nothing else: no CLI, plotting, table or YAML library", () => {
        assert.deepEqual(dependencyClosure(consumer, "@fargate-service/components"), ["@balena/dockerignore", "fastest-levenshtein", "zod"]);
        assert.deepEqual(Object.keys(manifest("components").dependencies ?? {}).sort(), ["@balena/dockerignore", "fastest-levenshtein", "zod"]);
        const installed = new Set(installedPackages(consumer).map((p) => p.name));
        assert.deepEqual(TOOLING.filter((name) => installed.has(name)), [], "installed in the user's project");
    });

    it("installs beside the user's SDKs with exactly one copy of @pulumi/pulumi and of @pulumi/aws", () => {
        for (const name of ["@pulumi/pulumi", "@pulumi/aws"]) {
            assert.deepEqual(
                installedCopies(consumer, name).map((c) => [path.relative(consumer, c.path), c.version]),
                [[path.join("node_modules", name), rootPackage.devDependencies![name]]],
                `${name}: the user's own copy and no other`,
            );
        }
    });

    it("compiles a user's program and its entry point under Pulumi's template settings (strict, libraries checked)", () => {
        assert.deepEqual(compileErrors(compiled, ws.examples).filter((line) => !line.startsWith("README.md:")), []);
    });

    it("compiles every README example against the installed package", () => {
        assert.deepEqual(compileErrors(compiled, ws.examples).filter((line) => line.startsWith("README.md:")), []);
        assert.ok(ws.examples.length >= 6);
        for (let i = 0; i < ws.examples.length; i++) assert.ok(fs.existsSync(path.join(consumer, "bin", exampleFile(i).replace(/\.ts$/, ".js"))), `${exampleFile(i)} was not compiled`);
    });

    it("serves its entry point through package exports and hides the rest of dist/", () => {
        assert.equal(exportsRun.code, 0, describeFailure("requiring the package", exportsRun));
        assert.deepEqual(JSON.parse(exportsRun.stdout), { FargateService: "function", deep: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
    });

    it("runs the program on the user's mocks and registers the components and their children", () => {
        assertRegistered(mocked, COMPONENT_TYPES);
    });
});
