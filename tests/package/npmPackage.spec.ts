import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readmeExamples } from "../readmeBlocks";
import { CommandResult, describeFailure, runCommand } from "./commands";
import { RUNTIME_SUBPATHS, exampleFile, writeConsumerProject } from "./consumerProject";

/**
 * The published package, as a user gets it: `npm pack`, then a fresh Pulumi project that installs
 * the tarball beside its own SDKs, compiles under Pulumi's template settings and runs on its own
 * mocks. Slow by nature (a build, an install, two compiles), so it runs in its own suite:
 * `npm run test:package` (and `npm test`).
 */

const ROOT = path.join(__dirname, "..", "..");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const rootPackage = require("../../package.json") as { devDependencies: Record<string, string> };

interface PackFile {
    path: string;
    size: number;
}
interface PackResult {
    filename: string;
    size: number;
    unpackedSize: number;
    entryCount: number;
    files: PackFile[];
}

/** Every installed copy of a package in a node_modules tree, nested ones included. */
function installedCopies(directory: string, name: string): { path: string; version: string }[] {
    const copies: { path: string; version: string }[] = [];
    const visit = (modules: string) => {
        if (!fs.existsSync(modules)) return;
        for (const entry of fs.readdirSync(modules)) {
            const packages = entry.startsWith("@") ? fs.readdirSync(path.join(modules, entry)).map((p) => path.join(modules, entry, p)) : [path.join(modules, entry)];
            for (const dir of packages) {
                const manifest = path.join(dir, "package.json");
                if (!fs.existsSync(manifest)) continue;
                const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string; version: string };
                if (pkg.name === name) copies.push({ path: dir, version: pkg.version });
                visit(path.join(dir, "node_modules"));
            }
        }
    };
    visit(path.join(directory, "node_modules"));
    return copies;
}

/** tsc's error lines, README examples named by their README line and title. */
function compileErrors(result: CommandResult, examples: ReturnType<typeof readmeExamples>): string[] {
    return `${result.stdout}${result.stderr}`
        .split("\n")
        .filter((line) => /error TS\d+/.test(line))
        .map((line) => {
            const match = /^readme-example-(\d+)\.ts\((\d+),\d+\): (.*)$/.exec(line);
            if (!match) return line;
            const example = examples[Number(match[1]) - 1];
            return `README.md:${example.line + Number(match[2]) - 1} (${example.title}): ${match[3]}`;
        });
}

describe("npm package", () => {
    const examples = readmeExamples();
    let work: string;
    let consumer: string;
    let packed: PackResult;
    let install: CommandResult;
    let compile: CommandResult;
    let compileSubpaths: CommandResult;
    let plan: CommandResult;
    let subpaths: CommandResult;
    let mocked: CommandResult;

    before(async () => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "fargate-package-"));
        consumer = path.join(work, "consumer");

        // prepack builds dist/ first, as `npm publish` would.
        const pack = await runCommand("npm", ["pack", "--json", "--pack-destination", work], ROOT);
        assert.equal(pack.code, 0, describeFailure("npm pack", pack));
        [packed] = JSON.parse(pack.stdout) as PackResult[];

        writeConsumerProject(consumer, {
            tarball: path.join(work, packed.filename),
            versions: {
                "@pulumi/pulumi": rootPackage.devDependencies["@pulumi/pulumi"],
                "@pulumi/aws": rootPackage.devDependencies["@pulumi/aws"],
                "@pulumi/awsx": rootPackage.devDependencies["@pulumi/awsx"],
                "@types/node": rootPackage.devDependencies["@types/node"],
            },
            examples,
        });
        // Every package is in npm's cache; scripts are skipped (awsx's dependencies try to download Pulumi plugins).
        install = await runCommand("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], consumer);
        assert.equal(install.code, 0, describeFailure("npm install", install));

        [compile, compileSubpaths, plan, subpaths] = await Promise.all([
            runCommand(process.execPath, [TSC, "-p", "tsconfig.json"], consumer),
            runCommand(process.execPath, [TSC, "-p", "tsconfig.subpaths.json"], consumer),
            // Run as a user would, through the bin link: its shebang and mode must work.
            runCommand(path.join(consumer, "node_modules", ".bin", process.platform === "win32" ? "fargate-service-plan.cmd" : "fargate-service-plan"), ["test", "--json", "--dir", consumer], consumer),
            runCommand(process.execPath, ["-e", RUNTIME_SUBPATHS], consumer),
        ]);
        mocked = compile.code === 0 ? await runCommand(process.execPath, [path.join("bin", "mocked.js")], consumer) : compile;
        const took = { pack: pack.seconds, install: install.seconds, compile: compile.seconds, compileSubpaths: compileSubpaths.seconds, plan: plan.seconds, mockedRun: mocked.seconds };
        console.log(`      seconds: ${JSON.stringify(took)}; tarball ${packed.size} bytes, ${packed.entryCount} files`);
    });

    after(() => {
        // Deleting the consumer's node_modules takes seconds: a detached process does it after the suite.
        if (work) spawn(process.execPath, ["-e", `require("node:fs").rmSync(${JSON.stringify(work)}, { recursive: true, force: true })`], { detached: true, stdio: "ignore" }).unref();
    });

    it("packs compiled code, declarations, source maps, README, LICENSE and CHANGELOG only", () => {
        const allowed = /^(dist\/.+\.(js|js\.map|d\.ts|json)|package\.json|README\.md|LICENSE|CHANGELOG\.md)$/;
        const stray = packed.files.map((f) => f.path).filter((p) => !allowed.test(p));
        assert.deepEqual(stray, []);
        const paths = new Set(packed.files.map((f) => f.path));
        for (const needed of ["README.md", "LICENSE", "CHANGELOG.md", "dist/components/index.js", "dist/components/index.d.ts", "dist/plan/cli.js", "dist/analysis/data/aws-prices.json"]) {
            assert.ok(paths.has(needed), `${needed} is not in the tarball`);
        }
    });

    it("leaves out the program, the tests and the policy pack's entry point", () => {
        const leaked = packed.files.map((f) => f.path).filter((p) => /^dist\/(index\.|tests\/|bench\/|portal\/|plugin\/|policy\/index\.)/.test(p));
        assert.deepEqual(leaked, []);
    });

    it("installs beside the user's SDKs with exactly one copy of @pulumi/pulumi and of @pulumi/aws", () => {
        for (const name of ["@pulumi/pulumi", "@pulumi/aws"]) {
            const copies = installedCopies(consumer, name);
            assert.deepEqual(
                copies.map((c) => [path.relative(consumer, c.path), c.version]),
                [[path.join("node_modules", name), rootPackage.devDependencies[name]]],
                `${name}: the user's own copy and no other`,
            );
        }
    });

    it("compiles a user's program under Pulumi's template settings (strict, libraries checked)", () => {
        const errors = compileErrors(compile, examples).filter((line) => !line.startsWith("README.md:"));
        assert.deepEqual(errors, []);
    });

    it("compiles every README example against the installed package", () => {
        const errors = compileErrors(compile, examples).filter((line) => line.startsWith("README.md:"));
        assert.deepEqual(errors, []);
        assert.ok(examples.length >= 6);
        for (let i = 0; i < examples.length; i++) assert.ok(fs.existsSync(path.join(consumer, "bin", exampleFile(i).replace(/\.ts$/, ".js"))), `${exampleFile(i)} was not compiled`);
    });

    it("types the environments, plan and automation subpaths for TypeScript's classic module resolution", () => {
        assert.deepEqual(compileErrors(compileSubpaths, examples), []);
    });

    it("serves the subpaths through package exports and hides the rest of dist/", () => {
        assert.equal(subpaths.code, 0, describeFailure("requiring the subpaths", subpaths));
        assert.deepEqual(JSON.parse(subpaths.stdout), { planStack: "function", environmentProgram: "function", automationExports: true, deepImport: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
    });

    it("runs the program on the user's mocks and registers the components and their children", () => {
        assert.equal(mocked.code, 0, describeFailure("the mocked run", mocked));
        const { url, registered } = JSON.parse(mocked.stdout) as { url: string; registered: { type: string; name: string }[] };
        const types = new Set(registered.map((r) => r.type));
        for (const type of [
            "pulumi-fargate-service:index:FargateService",
            "aws:ecs/cluster:Cluster",
            "aws:ecs/taskDefinition:TaskDefinition",
            "aws:ecs/service:Service",
            "aws:lb/loadBalancer:LoadBalancer",
            "aws:lb/targetGroup:TargetGroup",
            "aws:iam/role:Role",
            "aws:cloudwatch/logGroup:LogGroup",
            "pulumi-fargate-service:index:QueueWorker",
            "aws:sqs/queue:Queue",
            "pulumi-fargate-service:index:ScheduledTask",
            "aws:scheduler/schedule:Schedule",
        ]) {
            assert.ok(types.has(type), `${type} was not registered`);
        }
        assert.equal(url, "http://api.eu-west-1.elb.amazonaws.com");
    });

    it("installs the fargate-service-plan command, which plans a stack offline", () => {
        assert.equal(plan.code, 0, describeFailure("fargate-service-plan", plan));
        const document = JSON.parse(plan.stdout) as { stack: string; resources: { type: string }[]; cost: { monthlyUsd: number } };
        assert.equal(document.stack, "test");
        assert.ok(document.resources.some((r) => r.type === "pulumi-fargate-service:index:FargateService"));
        assert.ok(document.cost.monthlyUsd > 0, "priced from the data files shipped in dist/");
    });
});
