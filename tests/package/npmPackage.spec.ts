import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readmeExamples } from "../readmeBlocks";
import { CommandResult, describeFailure, runCommand } from "./commands";
import { RUNTIME_SUBPATHS, consumerProgramFiles, exampleFile, rangeFloor, writeConsumerProject } from "./consumerProject";

/**
 * The published package, as a user gets it: `npm pack`, then a fresh Pulumi project that installs
 * the tarball beside its own SDKs, compiles under Pulumi's template settings and runs on its own
 * mocks. Slow by nature (a build, an install, two compiles), so it runs in its own suite:
 * `npm run test:package` (and `npm test`).
 */

const ROOT = path.join(__dirname, "..", "..");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const rootPackage = require("../../package.json") as { devDependencies: Record<string, string>; peerDependencies: Record<string, string> };

/** The SDKs the package test installs: the versions developed against, and the lowest the peer ranges admit. */
const SDKS = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/awsx"] as const;
const developed = Object.fromEntries(SDKS.map((name) => [name, rootPackage.devDependencies[name]])) as Record<(typeof SDKS)[number], string>;
const floors = Object.fromEntries(SDKS.map((name) => [name, rangeFloor(rootPackage.peerDependencies[name])])) as Record<(typeof SDKS)[number], string>;
const tooling = { "@types/node": rootPackage.devDependencies["@types/node"], typescript: rootPackage.devDependencies.typescript };
const OWN_PROGRAM = "own-program";
const mockedRun = (compile: CommandResult, consumer: string) => (compile.code === 0 ? runCommand(process.execPath, [path.join("bin", "mocked.js")], consumer) : Promise.resolve(compile));
const planCommand = (consumer: string) => path.join(consumer, "node_modules", ".bin", process.platform === "win32" ? "fargate-service-plan.cmd" : "fargate-service-plan");

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
    let floor: string;
    let packed: PackResult;
    let install: CommandResult;
    let compile: CommandResult;
    let compileSubpaths: CommandResult;
    let plan: CommandResult;
    let subpaths: CommandResult;
    let mocked: CommandResult;
    let ownPlan: CommandResult;
    let floorInstall: CommandResult;
    let floorCompile: CommandResult;
    let floorMocked: CommandResult;
    let floorPlan: CommandResult;

    before(async () => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "fargate-package-"));
        consumer = path.join(work, "consumer");
        floor = path.join(work, "floor");

        // prepack builds dist/ first, as `npm publish` would.
        const pack = await runCommand("npm", ["pack", "--json", "--pack-destination", work], ROOT);
        assert.equal(pack.code, 0, describeFailure("npm pack", pack));
        [packed] = JSON.parse(pack.stdout) as PackResult[];

        const ownProgram = { directory: OWN_PROGRAM, files: consumerProgramFiles(path.join(ROOT, "tests", "fixtures", "consumer-program")) };
        const tarball = path.join(work, packed.filename);
        writeConsumerProject(consumer, { tarball, versions: { ...developed, ...tooling }, examples, ownProgram });
        // The same project on the lowest SDK versions the peer ranges claim.
        writeConsumerProject(floor, { tarball, versions: { ...floors, ...tooling }, examples });
        // Scripts are skipped (awsx's dependencies try to download Pulumi plugins).
        const npmInstall = ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"];
        [install, floorInstall] = await Promise.all([runCommand("npm", npmInstall, consumer), runCommand("npm", npmInstall, floor)]);
        assert.equal(install.code, 0, describeFailure("npm install", install));
        assert.equal(floorInstall.code, 0, describeFailure("npm install of the lowest supported SDKs", floorInstall));

        [compile, compileSubpaths, plan, subpaths, ownPlan, floorCompile, floorPlan] = await Promise.all([
            runCommand(process.execPath, [TSC, "-p", "tsconfig.json"], consumer),
            runCommand(process.execPath, [TSC, "-p", "tsconfig.subpaths.json"], consumer),
            // Run as a user would, through the bin link: its shebang and mode must work.
            runCommand(planCommand(consumer), ["test", "--json", "--dir", consumer], consumer),
            runCommand(process.execPath, ["-e", RUNTIME_SUBPATHS], consumer),
            runCommand(planCommand(consumer), ["--program", OWN_PROGRAM, "--stack", "test", "--json"], consumer),
            runCommand(process.execPath, [TSC, "-p", "tsconfig.json"], floor),
            // The plan drives the SDK's mock runtime: it must work on the lowest SDK too.
            runCommand(planCommand(floor), ["test", "--json", "--dir", floor], floor),
        ]);
        [mocked, floorMocked] = await Promise.all([mockedRun(compile, consumer), mockedRun(floorCompile, floor)]);
        const took = {
            pack: pack.seconds,
            install: install.seconds,
            floorInstall: floorInstall.seconds,
            compile: compile.seconds,
            floorCompile: floorCompile.seconds,
            compileSubpaths: compileSubpaths.seconds,
            plan: plan.seconds,
            ownProgramPlan: ownPlan.seconds,
            mockedRun: mocked.seconds,
            floorMockedRun: floorMocked.seconds,
            floorPlan: floorPlan.seconds,
        };
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

    it("plans a program of the user's own through the installed command (--program)", () => {
        assert.equal(ownPlan.code, 0, describeFailure("fargate-service-plan --program", ownPlan));
        const document = JSON.parse(ownPlan.stdout) as { project: string; resources: { type: string; name: string }[]; cost: { monthlyUsd: number }; unrecognised: { type: string }[] };
        assert.equal(document.project, "shop");
        for (const type of ["pulumi-fargate-service:index:FargateCluster", "pulumi-fargate-service:index:ServiceLoadBalancer", "pulumi-fargate-service:index:FargateService", "aws:s3/bucket:Bucket"]) {
            assert.ok(document.resources.some((r) => r.type === type), `${type} was not planned`);
        }
        assert.ok(document.cost.monthlyUsd > 0);
        assert.deepEqual(document.unrecognised.map((u) => u.type), ["aws:dynamodb/table:Table"]);
    });

    describe("on the lowest SDK versions the peer ranges admit", () => {
        it(`installs @pulumi/pulumi ${floors["@pulumi/pulumi"]}, @pulumi/aws ${floors["@pulumi/aws"]} and @pulumi/awsx ${floors["@pulumi/awsx"]}, one copy each`, () => {
            for (const name of SDKS) {
                assert.deepEqual(
                    installedCopies(floor, name).map((c) => [path.relative(floor, c.path), c.version]),
                    [[path.join("node_modules", name), floors[name]]],
                    `${name}: the floor of ${rootPackage.peerDependencies[name]}`,
                );
            }
        });

        it("compiles a user's program and every README example under Pulumi's template settings", () => {
            assert.deepEqual(compileErrors(floorCompile, examples), []);
        });

        it("runs the program on the user's mocks and registers the components and their children", () => {
            assert.equal(floorMocked.code, 0, describeFailure("the mocked run on the lowest SDKs", floorMocked));
            const { url, registered } = JSON.parse(floorMocked.stdout) as { url: string; registered: { type: string }[] };
            const types = new Set(registered.map((r) => r.type));
            for (const type of ["pulumi-fargate-service:index:FargateService", "aws:ecs/service:Service", "aws:lb/loadBalancer:LoadBalancer", "pulumi-fargate-service:index:QueueWorker", "aws:scheduler/schedule:Schedule"]) {
                assert.ok(types.has(type), `${type} was not registered`);
            }
            assert.equal(url, "http://api.eu-west-1.elb.amazonaws.com");
        });

        it("plans a stack offline with the installed command", () => {
            assert.equal(floorPlan.code, 0, describeFailure("fargate-service-plan on the lowest SDKs", floorPlan));
            const document = JSON.parse(floorPlan.stdout) as { resources: { type: string }[]; cost: { monthlyUsd: number } };
            assert.ok(document.resources.some((r) => r.type === "aws:ecs/service:Service"));
            assert.ok(document.cost.monthlyUsd > 0);
        });
    });
});
