import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

/**
 * The plan's deferred modules, checked in a process of their own: the deferral must be installed
 * before the SDK loads, and this test process has loaded it already.
 */
function inFreshProcess(script: string): Record<string, unknown> {
    // tsx, as the bench and scripts run TypeScript: it caches what it compiled, so a whole plan takes a second.
    const run = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: path.join(__dirname, ".."), encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout.trim().split("\n").pop()!);
}

const loadedSoFar = `
const loaded = (part) => Object.keys(require.cache).some((f) => f.includes(part));
const sep = require("node:path").sep;
const seen = () => ({
    grpc: loaded(sep + "@grpc" + sep + "grpc-js" + sep),
    automation: loaded(sep + "@pulumi" + sep + "pulumi" + sep + "automation" + sep),
    closure: loaded(sep + "closure" + sep + "serializeClosure"),
    french: loaded(sep + "locales" + sep + "fr.cjs"),
});
`;

describe("the plan's fast start", () => {
    it("loads the SDK without gRPC, the Automation API, the closure serializer or zod's other languages", function () {
        this.timeout(60000);
        const result = inFreshProcess(`${loadedSoFar}
            require("./plan/fastStart").deferUnusedModules();
            const pulumi = require("@pulumi/pulumi");
            require("zod");
            console.log(JSON.stringify({ ...seen(), sdk: typeof pulumi.output }));`);
        assert.deepEqual(result, { grpc: false, automation: false, closure: false, french: false, sdk: "function" });
    });

    it("is installed by the plan command's first import, so a whole plan of dev loads none of them", function () {
        this.timeout(60000);
        const result = inFreshProcess(`${loadedSoFar}
            const write = process.stdout.write.bind(process.stdout);
            process.stdout.write = () => true;
            require("./plan/cli").main(["dev", "--json"]).then((code) => {
                process.stdout.write = write;
                console.log(JSON.stringify({ ...seen(), code }));
            });`);
        assert.deepEqual(result, { grpc: false, automation: false, closure: false, french: false, code: 0 });
    });

    it("gives a program that does use them the real modules, on first use", function () {
        this.timeout(60000);
        const result = inFreshProcess(`${loadedSoFar}
            require("./plan/fastStart").deferUnusedModules();
            const pulumi = require("@pulumi/pulumi");
            const { z } = require("zod");
            const real = require("@pulumi/pulumi/automation");
            const used = {
                sameWorkspace: pulumi.automation.LocalWorkspace === real.LocalWorkspace,
                automationKeys: Object.keys(pulumi.automation).includes("LocalWorkspace"),
                hasStack: "Stack" in pulumi.automation,
                frenchLocale: typeof z.locales.fr,
                localeKeys: Object.keys(z.locales).length > 40,
                unavailable: pulumi.isGrpcError({ code: 14 }),
                serialize: typeof pulumi.runtime.serializeFunction,
            };
            console.log(JSON.stringify({ ...used, ...seen() }));
`);
        assert.deepEqual(result, {
            sameWorkspace: true,
            automationKeys: true,
            hasStack: true,
            frenchLocale: "function",
            localeKeys: true,
            unavailable: true,
            serialize: "function",
            grpc: true,
            automation: true,
            closure: false,
            french: true,
        });
    });
});
