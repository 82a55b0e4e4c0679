/**
 * How fast and how lean the offline plan is, beside `cdk synth`: `npm run bench`.
 *
 * 1. Side by side, in one run and interleaved (so the three share whatever else the machine is
 *    doing): the README's `npm run plan -- dev`, the plan package's compiled command
 *    (`node packages/plan/dist/plan/cli.js dev`, built first when it is missing or older than its
 *    sources), and `cdk synth` of bench/cdk-app,
 *    the dev stack's shape in AWS CDK's ecs-patterns (installed on first run with
 *    `npm ci --prefix bench/cdk-app`). Median, spread and peak memory of each, and the ratios.
 *    `cdk synth` runs without AWS credentials, notices, version check or telemetry: the stack names
 *    no account or region and looks nothing up, so it needs no network.
 * 2. Generated stacks of 1, 10 and 50 web services sharing one load balancer, planned with the
 *    README's command and with the compiled CLI: the plan should grow linearly.
 *
 * Prints figures; asserts nothing (tests are not the place for timings on a shared machine).
 * Wall times include starting the process (and npm, for `npm run`), as a user waits for them.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.join(__dirname, "..");
const cdkApp = path.join(__dirname, "cdk-app");
/** The plan package's command, as `npm install @fargate-service/plan` installs it (`fargate-service-plan`). */
const compiledCli = path.join(root, "packages/plan/dist/plan/cli.js");
/** The directories the compiled CLI is built from: a source newer than the build means a rebuild. */
const SOURCES = ["plan", "analysis", "core", "stacks", "components", "policy"];
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

interface Sample {
    seconds: number;
    /** User and system CPU time of the command and its children: steadier than wall time on a busy machine. */
    cpuSeconds?: number;
    peakMb?: number;
    stdout: string;
}

interface Command {
    label: string;
    command: string;
    args: string[];
    cwd?: string;
    env?: NodeJS.ProcessEnv;
}

const gnuTime = fs.existsSync("/usr/bin/time");

function run({ command, args, cwd = root, env = process.env }: Command): Sample {
    const start = process.hrtime.bigint();
    const child = gnuTime
        ? spawnSync("/usr/bin/time", ["-f", "%M %U %S", command, ...args], { cwd, env, encoding: "utf8", maxBuffer: 1 << 28 })
        : spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 1 << 28 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (child.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${child.status}: ${child.stderr}`);
    if (!gnuTime) return { seconds, stdout: child.stdout };
    const [peakKb, user, system] = (child.stderr.trim().split("\n").pop() ?? "").split(" ").map(Number);
    return { seconds, cpuSeconds: user + system, peakMb: peakKb / 1024, stdout: child.stdout };
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const median = (values: number[]) => {
    const s = sorted(values);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Summary {
    median: number;
    min: number;
    max: number;
    cpu?: number;
    peakMb?: number;
}

function summarise(samples: Sample[]): Summary {
    const seconds = samples.map((s) => s.seconds);
    const peaks = samples.map((s) => s.peakMb).filter((m): m is number => m !== undefined);
    const cpu = samples.map((s) => s.cpuSeconds).filter((c): c is number => c !== undefined);
    return { median: median(seconds), min: Math.min(...seconds), max: Math.max(...seconds), cpu: cpu.length ? median(cpu) : undefined, peakMb: peaks.length ? median(peaks) : undefined };
}

const seconds = (s: number) => `${s.toFixed(2)} s`;
const spread = (s: Summary) => `${seconds(s.median)}  (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
const memory = (s: Summary) => (s.peakMb === undefined ? "n/a" : `${s.peakMb.toFixed(0)} MB`);
const cpu = (s: Summary) => (s.cpu === undefined ? "n/a" : seconds(s.cpu));

function newestSource(): number {
    let newest = 0;
    const visit = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) visit(file);
            else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(file).mtimeMs);
        }
    };
    SOURCES.forEach((dir) => visit(path.join(root, dir)));
    return newest;
}

/** The compiled CLI, built when missing or older than a source. */
function ensureCompiled(): void {
    const built = fs.statSync(compiledCli, { throwIfNoEntry: false });
    if (built && built.mtimeMs >= newestSource()) return;
    console.log(`${built ? "packages/plan/dist is older than its sources" : "packages/plan/dist/plan/cli.js is missing"}: building it (npm run build -w @fargate-service/plan)…`);
    run({ label: "build", command: "npm", args: ["run", "--silent", "build", "-w", "@fargate-service/plan"] });
}

/** bench/cdk-app's own dependencies (aws-cdk-lib and the CDK CLI), installed from its lockfile on first run. */
function ensureCdkApp(): void {
    if (fs.existsSync(path.join(cdkApp, "node_modules/.bin/cdk"))) return;
    console.log("bench/cdk-app is not installed: npm ci --prefix bench/cdk-app (aws-cdk-lib and the CDK CLI, about 210 MB, once)…");
    run({ label: "install", command: "npm", args: ["ci", "--prefix", cdkApp, "--no-audit", "--no-fund"] });
}

/** The environment `cdk synth` runs in: no credentials to find, no instance metadata to ask, nothing to report home. */
function cdkEnvironment(): NodeJS.ProcessEnv {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("AWS_") && !key.startsWith("CDK_")));
    const nowhere = path.join(os.tmpdir(), "bench-cdk-no-aws-config");
    return {
        ...env,
        AWS_CONFIG_FILE: nowhere,
        AWS_SHARED_CREDENTIALS_FILE: nowhere,
        AWS_EC2_METADATA_DISABLED: "true",
        CDK_DISABLE_VERSION_CHECK: "1",
        CDK_DISABLE_CLI_TELEMETRY: "true",
    };
}

/** Runs each command RUNS times, taking turns, so that a busy moment of the machine falls on all of them alike. */
function interleaved(commands: Command[], runs: number): Sample[][] {
    const samples: Sample[][] = commands.map(() => []);
    for (let i = 0; i < runs; i++) commands.forEach((command, c) => samples[c].push(run(command)));
    return samples;
}

function sideBySide(): void {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cdk-out-"));
    const commands: Command[] = [
        { label: "npm run plan -- dev", command: "npm", args: ["run", "--silent", "plan", "--", "dev"] },
        { label: "fargate-service-plan dev", command: process.execPath, args: [compiledCli, "dev"] },
        {
            label: "cdk synth (bench/cdk-app)",
            command: path.join(cdkApp, "node_modules/.bin/cdk"),
            args: ["synth", "--no-notices", "--quiet", "--no-version-reporting", "--output", outDir],
            cwd: cdkApp,
            env: cdkEnvironment(),
        },
    ];
    // One untimed run each: file caches warm, as for a user who has run the command before.
    commands.forEach((command) => run(command));
    const results = interleaved(commands, RUNS).map(summarise);
    const cdk = results[2];
    console.log(`\nside by side, ${RUNS} runs each, interleaved: median wall (min–max), median CPU, peak memory, wall and CPU against cdk synth`);
    commands.forEach((command, i) => {
        const r = results[i];
        const ratio = i === 2 ? "" : `  ×${(r.median / cdk.median).toFixed(2)}${r.cpu !== undefined && cdk.cpu ? ` (CPU ×${(r.cpu / cdk.cpu).toFixed(2)})` : ""}`;
        console.log(`  ${command.label.padEnd(28)} ${spread(r).padEnd(22)} ${cpu(r).padStart(7)} CPU ${memory(r).padStart(7)}${ratio}`);
    });
    fs.rmSync(outDir, { recursive: true, force: true });
}

function stackWith(services: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${services}-`));
    fs.copyFileSync(path.join(root, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const entries = Array.from({ length: services }, (_, i) =>
        [
            `    s${i}:`,
            "      image:",
            "        uri: public.ecr.aws/nginx/nginx-unprivileged:1.27",
            ...(services > 1 ? ["      loadBalancer:", "        rule:", `          priority: ${i + 1}`, "          pathPatterns:", `            - /s${i}/*`] : []),
        ].join("\n"),
    );
    fs.writeFileSync(path.join(dir, "Pulumi.bench.yaml"), ["config:", "  aws:region: us-east-1", "  fargate-service:preset: dev", "  fargate-service:services:", ...entries].join("\n"));
    return dir;
}

function generatedStacks(): void {
    console.log("\nservices  resources  npm run plan: wall (min–max), CPU, peak      compiled CLI: wall (min–max), CPU, peak");
    const rows: { services: number; seconds: number }[] = [];
    for (const services of [1, 10, 50]) {
        const dir = stackWith(services);
        const args = ["bench", "--dir", dir, "--json"];
        const [readme, compiled] = interleaved(
            [
                { label: "npm run plan", command: "npm", args: ["run", "--silent", "plan", "--", ...args] },
                { label: "compiled", command: process.execPath, args: [compiledCli, ...args] },
            ],
            3,
        );
        const resources = (JSON.parse(readme[0].stdout) as { resources: unknown[] }).resources.length;
        const [a, b] = [summarise(readme), summarise(compiled)];
        rows.push({ services, seconds: a.median });
        console.log(
            `${String(services).padStart(8)}  ${String(resources).padStart(9)}  ${spread(a).padEnd(22)} ${cpu(a).padStart(6)} ${memory(a).padStart(7)}     ${spread(b).padEnd(22)} ${cpu(b).padStart(6)} ${memory(b).padStart(7)}`,
        );
        fs.rmSync(dir, { recursive: true, force: true });
    }
    // Growth per added service between 10 and 50, against the start-up cost every plan pays once.
    const [one, ten, fifty] = rows;
    const perService = (fifty.seconds - ten.seconds) / 40;
    console.log(
        `\nnpm run plan: start-up ≈ ${(one.seconds - perService).toFixed(2)} s; each further service ≈ ${(perService * 1000).toFixed(0)} ms (from 10 to 50: ×${(fifty.seconds / ten.seconds).toFixed(2)} time for ×5 services)`,
    );
}

function main(): void {
    console.log(`node ${process.version}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os.loadavg()[0].toFixed(2)}`);
    ensureCompiled();
    ensureCdkApp();
    sideBySide();
    generatedStacks();
}

main();
