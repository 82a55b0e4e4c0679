/**
 * How fast and how lean the offline plan is: `npm run bench`.
 *
 * 1. `npm run plan -- dev` as a user runs it, median of 5 (wall time and peak memory of the whole
 *    command, npm included, when /usr/bin/time is there to measure it).
 * 2. Generated stacks of 1, 10 and 50 web services sharing one load balancer: median of 3 plans
 *    each, in their own process, to see that the plan grows linearly.
 *
 * Prints figures; asserts nothing (tests are not the place for timings on a shared machine).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.join(__dirname, "..");
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function timeCommand(command: string, args: string[]): { seconds: number; peakMb?: number } {
    const gnuTime = fs.existsSync("/usr/bin/time");
    const start = process.hrtime.bigint();
    const run = gnuTime
        ? spawnSync("/usr/bin/time", ["-f", "%M", command, ...args], { cwd: root, encoding: "utf8" })
        : spawnSync(command, args, { cwd: root, encoding: "utf8" });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (run.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${run.stderr}`);
    const peakKb = gnuTime ? Number(run.stderr.trim().split("\n").pop()) : undefined;
    return { seconds, peakMb: peakKb ? peakKb / 1024 : undefined };
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

function planInProcess(dir: string): { seconds: number; peakMb: number; resources: number } {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "bench/planProcess.ts"), dir, "bench"], { cwd: root, encoding: "utf8" });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const report = JSON.parse(run.stderr.trim().split("\n").pop() ?? "{}");
    if (report.code !== 0) throw new Error(`plan failed: ${run.stderr}`);
    const document = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "plan/cli.ts"), "bench", "--dir", dir, "--json"], { encoding: "utf8", maxBuffer: 1 << 28 });
    return { seconds, peakMb: report.maxRssMb, resources: JSON.parse(document.stdout).resources.length };
}

function main(): void {
    console.log(`node ${process.version}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`);

    const runs = Array.from({ length: 5 }, () => timeCommand("npm", ["run", "--silent", "plan", "--", "dev", "--json"]));
    const peak = runs.map((r) => r.peakMb).filter((m): m is number => m !== undefined);
    console.log(
        `npm run plan -- dev: median ${median(runs.map((r) => r.seconds)).toFixed(2)} s wall` +
            (peak.length ? `, median peak ${median(peak).toFixed(0)} MB` : " (peak memory: /usr/bin/time not found)") +
            `  [runs: ${runs.map((r) => r.seconds.toFixed(2)).join(", ")}]`,
    );

    console.log("\nservices  resources  median s  peak MB  ms per service");
    const rows: { services: number; seconds: number }[] = [];
    for (const services of [1, 10, 50]) {
        const dir = stackWith(services);
        const samples = Array.from({ length: 3 }, () => planInProcess(dir));
        const seconds = median(samples.map((s) => s.seconds));
        rows.push({ services, seconds });
        console.log(
            `${String(services).padStart(8)}  ${String(samples[0].resources).padStart(9)}  ${seconds.toFixed(2).padStart(8)}  ${median(samples.map((s) => s.peakMb)).toFixed(0).padStart(7)}  ${((seconds * 1000) / services).toFixed(0).padStart(14)}`,
        );
    }
    // Growth per added service between 10 and 50, against the start-up cost every plan pays once.
    const [one, ten, fifty] = rows;
    const perService = (fifty.seconds - ten.seconds) / 40;
    console.log(`\nstart-up ≈ ${(one.seconds - perService).toFixed(2)} s; each further service ≈ ${(perService * 1000).toFixed(0)} ms (from 10 to 50: ×${(fifty.seconds / ten.seconds).toFixed(2)} time for ×5 services)`);
}

main();
