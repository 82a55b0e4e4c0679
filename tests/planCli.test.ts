import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli } from "./cliHarness";
import { projectRoot, stackDirectory } from "./planFixtures";

const failingProd = [
    "fargate-service:preset: prod",
    "fargate-service:network:",
    "  taskSubnets: public",
    "  natGateways: none",
    "fargate-service:domain:",
    "  name: app.example.com",
    "  zoneName: example.com",
    "fargate-service:services:",
    "  web:",
    "    image:",
    "      uri: nginx:1",
].join("\n");

describe("plan command", () => {
    it("prints exactly one JSON document with the agreed fields (run as a user would: npm run plan -- dev --json)", function () {
        this.timeout(20000);
        const run = spawnSync("npm", ["run", "--silent", "plan", "--", "dev", "--json"], { cwd: projectRoot, encoding: "utf8", shell: process.platform === "win32" });
        assert.equal(run.status, 0, run.stderr);
        const doc = JSON.parse(run.stdout);
        assert.equal(doc.stack, "dev");
        for (const key of ["resources", "outputs", "cost", "controls", "deploy"]) assert.ok(key in doc, key);
        assert.deepEqual(Object.keys(doc.resources[1]).filter((k) => ["urn", "type", "name", "parent", "inputs"].includes(k)).sort(), ["inputs", "name", "parent", "type", "urn"]);
        assert.equal(typeof doc.cost.monthlyUsd, "number");
        assert.ok(Array.isArray(doc.cost.lines) && doc.cost.assumptions.spotDiscount !== undefined);
        const control = doc.controls.find((c: { id: string }) => c.id === "ECS.2");
        assert.deepEqual([control.title.length > 10, control.status, typeof control.resource, typeof control.reason], [true, "waived", "string", "string"]);
        assert.ok(doc.deploy.firstDeploySeconds > 0 && doc.deploy.rollingUpdates.length === 3, "one rolling update per service");
        assert.match(doc.outputs.url, /^http:\/\//);
    });

    it("prints the report, the Mermaid diagram or the DOT graph", async () => {
        const text = await cli("dev", "--dir", projectRoot);
        assert.equal(text.code, 0);
        for (const heading of ["RESOURCES", "MONTHLY COST", "CONTROLS", "DEPLOY TIME"]) assert.ok(text.stdout.includes(heading), heading);
        assert.ok(text.stdout.includes("Offline plan"), "says plainly that it is offline");
        assert.match((await cli("dev", "--dir", projectRoot, "--format", "mermaid")).stdout, /^flowchart LR/);
        assert.match((await cli("dev", "--dir", projectRoot, "--format", "dot")).stdout, /^digraph environment/);
    });

    it("draws the diagram as an SVG file", async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "svg-")), "dev.svg");
        const run = await cli("dev", "--dir", projectRoot, "--format", "mermaid", "--svg", file);
        assert.equal(run.code, 0);
        const svg = fs.readFileSync(file, "utf8");
        assert.match(svg, /<svg[\s>]/);
        assert.ok(svg.includes("Application Load Balancer"));
    });

    it("exits 1 with the config's problems and no stack trace", async () => {
        const dir = stackDirectory("bad", "fargate-service:preset: dev\nfargate-service:services:\n  web:\n    image:\n      uri: nginx:1\n    cpu: 300");
        const run = await cli("bad", "--dir", dir);
        assert.equal(run.code, 1);
        assert.equal(run.stderr.trim(), "Pulumi.bad.yaml: fargate-service:services.web.cpu: 300 is not a Fargate CPU size (256, 512, 1024, 2048, 4096, 8192, 16384)");
        assert.equal(run.stdout, "");
    });

    it("exits 1 for a stack that does not exist, naming the stacks that do", async () => {
        const run = await cli("staging", "--dir", projectRoot);
        assert.equal(run.code, 1);
        assert.match(run.stderr, /no stack "staging" here; stacks: dev, prod/);
    });

    it("refuses --json beside another --format, rather than silently printing one of them", async () => {
        for (const format of ["mermaid", "dot", "text"]) {
            const run = await cli("dev", "--dir", projectRoot, "--json", "--format", format);
            assert.equal(run.code, 1, format);
            assert.match(run.stderr, new RegExp(`--format: is "${format}" but --json prints JSON: give one`));
            assert.deepEqual(JSON.parse(run.stdout).problems, [{ source: "arguments", path: "--format", message: `is "${format}" but --json prints JSON: give one` }]);
        }
        assert.equal((await cli("dev", "--dir", projectRoot, "--json", "--format", "json")).code, 0, "the two spellings of JSON agree");
    });

    it("exits 2 with --strict when a mandatory control fails, and 0 without it", async () => {
        const dir = stackDirectory("prod", failingProd);
        const strict = await cli("prod", "--dir", dir, "--strict", "--json");
        assert.equal(strict.code, 2);
        assert.match(strict.stderr, /mandatory control.* failed: ECS\.2/);
        assert.equal(JSON.parse(strict.stdout).controls.find((c: { id: string }) => c.id === "ECS.2").status, "fail", "the document is still printed");
        assert.equal((await cli("prod", "--dir", dir, "--json")).code, 0);
    });

    it("does not block dev, whose controls only advise", async () => {
        const dir = stackDirectory("dev", "fargate-service:preset: dev\nfargate-service:services:\n  web:\n    image:\n      uri: nginx:1");
        const run = await cli("dev", "--dir", dir, "--strict", "--json");
        assert.equal(run.code, 0);
        assert.ok(JSON.parse(run.stdout).controls.some((c: { status: string }) => c.status === "fail"), "it has failing controls, advisory only");
    });

    it("changes assumptions from the command line and refuses unknown ones", async () => {
        const base = JSON.parse((await cli("prod", "--dir", projectRoot, "--json")).stdout);
        const busy = JSON.parse((await cli("prod", "--dir", projectRoot, "--json", "--assume", "requestsPerSecond=500", "-a", "taskStartSeconds=90")).stdout);
        assert.equal(busy.cost.assumptions.requestsPerSecond, 500);
        assert.ok(busy.cost.monthlyUsd > base.cost.monthlyUsd);
        assert.equal(busy.deploy.assumptions.taskStartSeconds, 90);
        const wrong = await cli("prod", "--dir", projectRoot, "--assume", "requestPerSecond=5");
        assert.equal(wrong.code, 1);
        assert.match(wrong.stderr, /--assume: requestPerSecond: is not an assumption; did you mean "requestsPerSecond"\?/);
    });

    it("refuses flags that --policy-config would ignore (--svg, --format, --strict, --assume), writing nothing", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
        const svg = path.join(dir, "d.svg");
        for (const [flags, key] of [
            [["--svg", svg], "--svg"],
            [["--format", "mermaid"], "--format"],
            [["--strict"], "--strict"],
            [["--assume", "spotDiscount=0.5"], "--assume"],
        ] as const) {
            const run = await cli("dev", "--dir", projectRoot, "--policy-config", ...flags);
            assert.equal(run.code, 1, key);
            assert.match(run.stderr, new RegExp(`${key}: has no effect with --policy-config`), key);
            assert.equal(run.stdout, "", key);
        }
        assert.equal(fs.existsSync(svg), false);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("prints the policy pack config of a stack, with its waivers and enforcement", async () => {
        const dev = JSON.parse((await cli("dev", "--dir", projectRoot, "--policy-config")).stdout);
        assert.deepEqual(dev["ECS.2"].enforcementLevel, "advisory");
        assert.match(dev["ECS.2"].waiver, /NAT/);
        const prod = JSON.parse((await cli("prod", "--dir", projectRoot, "--policy-config")).stdout);
        assert.equal(prod["ECS.2"].enforcementLevel, "mandatory");
        assert.deepEqual(prod["nat-gateway-count"].expected, 3);
        assert.equal(prod["cost-budget"].monthlyUsd, 550);
    });
});
