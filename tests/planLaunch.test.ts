import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "./planFixtures";

/** `npm run plan` runs plan/launch.js, which keeps a bundle of the plan's sources and remakes it only when one of them changed. */
const cache = path.join(projectRoot, "node_modules", ".cache", "fargate-service-plan");
const bundle = path.join(cache, "cli.js");
const inputs = path.join(cache, "inputs.json");
const launch = (...args: string[]) => spawnSync(process.execPath, [path.join(projectRoot, "plan", "launch.js"), ...args], { cwd: projectRoot, encoding: "utf8" });

describe("plan launcher (npm run plan)", function () {
    this.timeout(60000);

    it("records the bundle's own inputs, the plan's entry and the sources it reaches among them", () => {
        assert.equal(launch("--help").status, 0);
        const recorded = JSON.parse(fs.readFileSync(inputs, "utf8")) as string[];
        for (const source of ["plan/cli.ts", "analysis/costModel.ts", "components/fargateService.ts", "stacks/program.ts"]) assert.ok(recorded.includes(source), source);
        assert.ok(recorded.every((input) => fs.existsSync(path.join(projectRoot, input))), "every recorded input is a file of the checkout");
    });

    it("reuses a bundle newer than every input, and remakes one that an input is newer than", () => {
        assert.equal(launch("--help").status, 0);
        const longAgo = new Date(Date.now() - 3600_000 * 24 * 365 * 30);
        fs.writeFileSync(bundle, fs.readFileSync(bundle, "utf8") + "\n// marker\n");
        assert.equal(launch("--help").status, 0);
        assert.match(fs.readFileSync(bundle, "utf8"), /\/\/ marker\n$/, "a current bundle is run as it is");
        fs.utimesSync(bundle, longAgo, longAgo);
        assert.equal(launch("--help").status, 0);
        assert.doesNotMatch(fs.readFileSync(bundle, "utf8"), /\/\/ marker/, "a bundle older than its sources is made again");
    });

    it("answers with the plan's own exit status", () => {
        const unknown = launch("no-such-stack");
        assert.equal(unknown.status, 1, unknown.stderr);
        assert.match(unknown.stderr + unknown.stdout, /no stack "no-such-stack"/);
    });
});
