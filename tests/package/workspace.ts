import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ReadmeExample, readmeExamples } from "../readmeBlocks";
import { CommandResult, describeFailure, runCommand } from "./commands";
import { STACK, componentProgramFiles, consumerFiles, consumerProgramFiles, exampleFile, rangeFloor, writeFiles } from "./consumerProject";

/**
 * The published packages, as users get them: `npm pack` of every workspace package (each one's
 * prepack builds it), then one fresh Pulumi project per package that installs its tarball beside
 * the user's own SDKs. Packing and installing are shared by the package suites and done once, the
 * installs side by side; each suite then compiles and runs what its package promises.
 */

export const ROOT = path.join(__dirname, "..", "..");
export const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");

interface Manifest {
    name: string;
    version: string;
    main?: string;
    bin?: Record<string, string>;
    exports?: Record<string, unknown>;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    devDependencies?: Record<string, string>;
}

export const rootPackage = require("../../package.json") as Manifest;
export const PACKAGES = ["components", "plan", "automation", "policy"] as const;
export type PackageDir = (typeof PACKAGES)[number];
export const manifest = (dir: PackageDir): Manifest => JSON.parse(fs.readFileSync(path.join(ROOT, "packages", dir, "package.json"), "utf8")) as Manifest;

/** The SDKs a user's project holds: the versions developed against, and the lowest the peer ranges admit. */
export const SDKS = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/awsx"] as const;
export type Sdk = (typeof SDKS)[number];
export const developed = Object.fromEntries(SDKS.map((name) => [name, rootPackage.devDependencies![name]])) as Record<Sdk, string>;
/** @pulumi/pulumi and @pulumi/aws from the component's ranges, @pulumi/awsx from the plan's (the component needs none). */
export const floors: Record<Sdk, string> = {
    "@pulumi/pulumi": rangeFloor(manifest("components").peerDependencies!["@pulumi/pulumi"]),
    "@pulumi/aws": rangeFloor(manifest("components").peerDependencies!["@pulumi/aws"]),
    "@pulumi/awsx": rangeFloor(manifest("plan").peerDependencies!["@pulumi/awsx"]),
};
const tooling = { "@types/node": rootPackage.devDependencies!["@types/node"], typescript: rootPackage.devDependencies!.typescript };

export interface PackFile {
    path: string;
    size: number;
}
export interface PackResult {
    name: string;
    filename: string;
    size: number;
    unpackedSize: number;
    entryCount: number;
    files: PackFile[];
}

/** The consumer projects, by what each proves. */
export const CONSUMERS = {
    /** The component alone, on the SDKs developed against: a program, its mocked run, every README example. */
    components: ["components"],
    /** The component and the plan on the lowest SDKs the peer ranges admit. */
    floor: ["components", "plan"],
    /** The plan beside the component, planning a stack of the dev preset and a program of the user's own. */
    plan: ["components", "plan"],
    /** The Automation API and the portal, without the optional audit-store drivers. */
    automation: ["automation"],
    /** The policy pack alone: its own dependencies, nothing of the user's. */
    policy: ["policy"],
} as const satisfies Record<string, readonly PackageDir[]>;
export type Consumer = keyof typeof CONSUMERS;

export const OWN_PROGRAM = "own-program";

export interface Workspace {
    work: string;
    examples: ReadmeExample[];
    packed: Record<PackageDir, PackResult>;
    pack: CommandResult;
    dirs: Record<Consumer, string>;
    installs: Record<Consumer, CommandResult>;
    /** tsc -p tsconfig.json in each consumer, once its install succeeded. */
    compiled: Record<Consumer, CommandResult>;
}

let prepared: Promise<Workspace> | undefined;

/** Packs every package and installs every consumer project, once per test run. */
export function workspace(): Promise<Workspace> {
    prepared ??= prepare();
    return prepared;
}

async function prepare(): Promise<Workspace> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "fargate-packages-"));
    // Every suite uses the projects, so they go when the run ends; node_modules take seconds to
    // delete, so a detached process does it.
    process.once("exit", () => {
        spawn(process.execPath, ["-e", `require("node:fs").rmSync(${JSON.stringify(work)}, { recursive: true, force: true })`], { detached: true, stdio: "ignore" }).unref();
    });
    const examples = readmeExamples();
    // Each package's build (what its prepack runs before `npm publish`), side by side, then the
    // packing itself without the prepack scripts that would build them again one by one.
    const builds = await Promise.all(PACKAGES.map((dir) => runCommand("npm", ["run", "build", "--workspace", `packages/${dir}`], ROOT)));
    builds.forEach((build, i) => assert.equal(build.code, 0, describeFailure(`the build of packages/${PACKAGES[i]}`, build)));
    const pack = await runCommand("npm", ["pack", "--workspaces", "--ignore-scripts", "--json", "--pack-destination", work], ROOT);
    assert.equal(pack.code, 0, describeFailure("npm pack --workspaces", pack));
    const results = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as PackResult[];
    const packed = Object.fromEntries(PACKAGES.map((dir) => [dir, results.find((r) => r.name === manifest(dir).name)!])) as Record<PackageDir, PackResult>;
    for (const dir of PACKAGES) assert.ok(packed[dir], `npm pack wrote no tarball for packages/${dir}`);
    const tarball = (dir: PackageDir) => `file:${path.join(work, packed[dir].filename)}`;
    const own = (dirs: readonly PackageDir[]) => Object.fromEntries(dirs.map((dir) => [manifest(dir).name, tarball(dir)]));

    const dirs = Object.fromEntries(Object.keys(CONSUMERS).map((name) => [name, path.join(work, name)])) as Record<Consumer, string>;
    const programFiles = componentProgramFiles(examples);
    const programNames = ["index.ts", "mocked.ts", ...examples.map((_, i) => exampleFile(i))];
    writeFiles(dirs.components, {
        ...consumerFiles({ ...own(CONSUMERS.components), ...developed }, tooling, [...programNames, "subpaths.ts"]),
        ...programFiles,
        "subpaths.ts": SUBPATHS.components,
    });
    writeFiles(dirs.floor, { ...consumerFiles({ ...own(CONSUMERS.floor), ...floors }, tooling, programNames), ...programFiles, ...STACK });
    const ownProgram = consumerProgramFiles(path.join(ROOT, "tests", "fixtures", "consumer-program"));
    writeFiles(dirs.plan, {
        ...consumerFiles({ ...own(CONSUMERS.plan), ...developed }, tooling, ["subpaths.ts", `${OWN_PROGRAM}/index.ts`]),
        "subpaths.ts": SUBPATHS.plan,
        ...STACK,
        ...Object.fromEntries(Object.entries(ownProgram).map(([name, text]) => [path.join(OWN_PROGRAM, name), text])),
    });
    writeFiles(dirs.automation, { ...consumerFiles({ ...own(CONSUMERS.automation), ...developed }, tooling, ["subpaths.ts"]), "subpaths.ts": SUBPATHS.automation, ...STACK });
    writeFiles(dirs.policy, { ...consumerFiles(own(CONSUMERS.policy), tooling, ["subpaths.ts"]), "subpaths.ts": SUBPATHS.policy });

    // Scripts are skipped (awsx's dependencies try to download Pulumi plugins).
    const npmInstall = ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"];
    const names = Object.keys(CONSUMERS) as Consumer[];
    const done = await Promise.all(names.map((name) => runCommand("npm", npmInstall, dirs[name])));
    const installs = Object.fromEntries(names.map((name, i) => [name, done[i]])) as Record<Consumer, CommandResult>;
    // Every consumer compiles under Pulumi's template settings, side by side (a compile that
    // checks @pulumi/aws's declarations takes most of a core for half a minute).
    const compiles = await Promise.all(names.map((name) => (installs[name].code === 0 ? compile(dirs[name]) : Promise.resolve(installs[name]))));
    const compiled = Object.fromEntries(names.map((name, i) => [name, compiles[i]])) as Record<Consumer, CommandResult>;
    const seconds = (results: Record<Consumer, CommandResult>) => JSON.stringify(Object.fromEntries(names.map((n) => [n, results[n].seconds])));
    console.log(`      built in ${Math.max(...builds.map((b) => b.seconds))} s, packed in ${pack.seconds} s; installed in ${seconds(installs)} s; compiled in ${seconds(compiled)} s`);
    for (const dir of PACKAGES) {
        const p = packed[dir];
        console.log(`      ${p.name}: tarball ${p.size} bytes, unpacked ${p.unpackedSize} bytes, ${p.entryCount} files`);
    }
    return { work, examples, packed, pack, dirs, installs, compiled };
}

/**
 * Every entry point of each package, as a TypeScript user imports it. Each file is compiled under
 * Pulumi's template settings (no esModuleInterop, no resolveJsonModule, no skipLibCheck), so a
 * declaration that pulls in zod's or a JSON module fails here.
 */
export const SUBPATHS: Record<PackageDir, string> = {
    components: `import * as components from "@fargate-service/components";
export const kinds: string[] = Object.keys(components);
`,
    plan: `import { PlanDocument, planStack } from "@fargate-service/plan";

export async function monthlyCost(directory: string, stack: string): Promise<number> {
    const plan: PlanDocument = await planStack(directory, stack);
    return plan.cost.monthlyUsd;
}
`,
    automation: `import * as automation from "@fargate-service/automation";
import { PRESETS, Preset, environmentProgram, resolveEnvironment, stackFileJsonSchema } from "@fargate-service/automation/environments";

export type Automation = typeof automation;
export const presets: string[] = Object.keys(PRESETS);
export const dev: Preset = Preset.dev;
export const program: () => Promise<Record<string, unknown>> = environmentProgram;
export const check: typeof resolveEnvironment = resolveEnvironment;
export const schema: object = stackFileJsonSchema("shop");
`,
    policy: `import { POLICIES } from "@fargate-service/policy/policies";
export const names: string[] = POLICIES.map((p) => p.name);
`,
};

/** Every installed copy of a package in a node_modules tree, nested ones included. */
export function installedCopies(directory: string, name: string): { path: string; version: string }[] {
    return installedPackages(directory).filter((p) => p.name === name);
}

/** Every package installed in a node_modules tree, nested ones included. */
export function installedPackages(directory: string): { name: string; path: string; version: string }[] {
    const found: { name: string; path: string; version: string }[] = [];
    const visit = (modules: string) => {
        if (!fs.existsSync(modules)) return;
        for (const entry of fs.readdirSync(modules)) {
            if (entry.startsWith(".")) continue;
            const packages = entry.startsWith("@") ? fs.readdirSync(path.join(modules, entry)).map((p) => path.join(modules, entry, p)) : [path.join(modules, entry)];
            for (const dir of packages) {
                const manifestFile = path.join(dir, "package.json");
                if (!fs.existsSync(manifestFile)) continue;
                const pkg = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { name?: string; version: string };
                found.push({ name: pkg.name ?? path.basename(dir), path: dir, version: pkg.version });
                visit(path.join(dir, "node_modules"));
            }
        }
    };
    visit(path.join(directory, "node_modules"));
    return found;
}

/**
 * The packages an installed package brings with it: its dependencies and theirs, resolved as Node.js
 * resolves them from each package's directory. Peer dependencies are the user's, so not counted.
 */
export function dependencyClosure(project: string, name: string): string[] {
    const seen = new Set<string>();
    const visit = (from: string, pkgName: string) => {
        let dir = from;
        let found: string | undefined;
        for (;;) {
            const candidate = path.join(dir, "node_modules", pkgName);
            if (fs.existsSync(path.join(candidate, "package.json"))) {
                found = candidate;
                break;
            }
            const parent = path.dirname(dir);
            if (parent === dir) break;
            dir = parent;
        }
        assert.ok(found, `${pkgName} is not installed where ${from} can load it`);
        const key = fs.realpathSync(found);
        if (seen.has(key)) return;
        seen.add(key);
        const pkg = JSON.parse(fs.readFileSync(path.join(found, "package.json"), "utf8")) as Manifest & { optionalDependencies?: Record<string, string> };
        for (const dep of Object.keys(pkg.dependencies ?? {})) {
            if (pkg.optionalDependencies?.[dep] && !fs.existsSync(path.join(found, "node_modules", dep))) continue;
            visit(found, dep);
        }
    };
    visit(project, name);
    return [...seen].map((dir) => (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string }).name).filter((n) => n !== name).sort();
}

/** tsc's error lines, README examples named by their README line and title. */
export function compileErrors(result: CommandResult, examples: ReadmeExample[] = []): string[] {
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

/** Runs the TypeScript compiler on a consumer's tsconfig.json. */
export function compile(consumer: string): Promise<CommandResult> {
    return runCommand(process.execPath, [TSC, "-p", "tsconfig.json"], consumer);
}

/** A command a package installs, through its bin link: its shebang and mode must work. */
export function binCommand(consumer: string, name: string): string {
    return path.join(consumer, "node_modules", ".bin", process.platform === "win32" ? `${name}.cmd` : name);
}

/** The packed files that are not compiled code, declarations, source maps or the given extras. */
export function strayFiles(packed: PackResult, extras: RegExp): string[] {
    const allowed = /^(dist\/.+\.(js|js\.map|d\.ts|json)|package\.json|README\.md|LICENSE)$/;
    return packed.files.map((f) => f.path).filter((p) => !allowed.test(p) && !extras.test(p));
}

/**
 * Compiled modules that load a file outside the package (`require("../../x")` climbing out of
 * it): such a package works only inside this repository.
 */
export function requiresOutside(packageDir: string): string[] {
    const out: string[] = [];
    const visit = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                if (entry.name !== "node_modules") visit(file);
                continue;
            }
            if (!entry.name.endsWith(".js")) continue;
            for (const match of fs.readFileSync(file, "utf8").matchAll(/require\("(\.[^"]+)"\)/g)) {
                const target = path.resolve(path.dirname(file), match[1]);
                if (path.relative(packageDir, target).startsWith("..")) out.push(`${path.relative(packageDir, file)}: ${match[1]}`);
            }
        }
    };
    visit(packageDir);
    return out;
}

/** The program's mocked run (bin/mocked.js), once it compiled. */
export function mockedRun(compiled: CommandResult, consumer: string): Promise<CommandResult> {
    return compiled.code === 0 ? runCommand(process.execPath, [path.join("bin", "mocked.js")], consumer) : Promise.resolve(compiled);
}

/** What the mocked run registered: every kind of component and child the program asks for. */
export function assertRegistered(mocked: CommandResult, types: string[]): void {
    assert.equal(mocked.code, 0, describeFailure("the mocked run", mocked));
    const { url, registered } = JSON.parse(mocked.stdout) as { url: string; registered: { type: string; name: string }[] };
    const seen = new Set(registered.map((r) => r.type));
    for (const type of types) assert.ok(seen.has(type), `${type} was not registered`);
    assert.equal(url, "http://api.eu-west-1.elb.amazonaws.com");
}

