import * as assert from "node:assert/strict";
import { CommandResult, describeFailure, runCommand } from "./commands";
import { Workspace, binCommand, compileErrors, dependencyClosure, installedCopies, requiresOutside, strayFiles, workspace } from "./workspace";
import * as path from "node:path";

/**
 * @fargate-service/automation from its tarball: the Automation API and its ./environments subpath
 * compile under Pulumi's template settings and load; the portal's command starts, and without the
 * optional audit-store driver it says which to install instead of failing with a stack trace.
 */

/** Loads both entry points as Node.js does and resolves a stack config of the dev preset. */
const RUNTIME = `const automation = require("@fargate-service/automation");
const environments = require("@fargate-service/automation/environments");
const spec = environments.resolveEnvironment({ preset: "dev", services: { web: { image: { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" } } } }, { stack: "dev", project: "shop", source: "config", region: "eu-west-1" });
let deep = "allowed";
try { require("@fargate-service/automation/dist/stacks/environment"); } catch (e) { deep = e.code; }
console.log(JSON.stringify({ planEnvironment: typeof automation.planEnvironment, deployEnvironment: typeof automation.deployEnvironment, preset: spec.preset, services: Object.keys(spec.services), schemaTitle: typeof environments.stackFileJsonSchema("shop"), deep }));
`;

describe("@fargate-service/automation, installed from its tarball", () => {
    let ws: Workspace;
    let consumer: string;
    let compiled: CommandResult;
    let loaded: CommandResult;
    let help: CommandResult;
    let withoutDriver: CommandResult;
    let withoutPg: CommandResult;

    before(async () => {
        ws = await workspace();
        consumer = ws.dirs.automation;
        assert.equal(ws.installs.automation.code, 0, describeFailure("npm install", ws.installs.automation));
        const portal = binCommand(consumer, "fargate-service-portal");
        [compiled, loaded, help, withoutDriver, withoutPg] = await Promise.all([
            Promise.resolve(ws.compiled.automation),
            runCommand(process.execPath, ["-e", RUNTIME], consumer),
            runCommand(portal, ["--help"], consumer),
            runCommand(portal, ["--port", "0", "--audit-dir", path.join(consumer, ".audit")], consumer),
            runCommand(portal, ["--port", "0", "--audit-database-url", "postgres://127.0.0.1:1/none"], consumer),
        ]);
        console.log(`      seconds: compile ${compiled.seconds}, load ${loaded.seconds}, portal --help ${help.seconds}`);
    });

    it("packs compiled code, declarations, source maps, the portal's page, README and LICENSE only", () => {
        assert.deepEqual(strayFiles(ws.packed.automation, /^dist\/portal\/page\.html$/), []);
        const paths = new Set(ws.packed.automation.files.map((f) => f.path));
        for (const needed of ["dist/stacks/automation.d.ts", "dist/stacks/index.d.ts", "dist/portal/cli.js", "dist/portal/page.html"]) assert.ok(paths.has(needed), `${needed} is not in the tarball`);
    });

    it("loads nothing from outside the package", () => {
        assert.deepEqual(requiresOutside(path.join(consumer, "node_modules", "@fargate-service", "automation")), []);
    });

    it("leaves the audit-store drivers to the portal that uses one (optional peers), and uses the user's SDKs", () => {
        const closure = dependencyClosure(consumer, "@fargate-service/automation");
        for (const name of ["@electric-sql/pglite", "pg", "@pulumi/pulumi", "@pulumi/aws"]) assert.ok(!closure.includes(name), `${name} came with the package`);
        assert.equal(installedCopies(consumer, "@electric-sql/pglite").length, 0);
        assert.equal(installedCopies(consumer, "pg").length, 0);
        for (const name of ["@pulumi/pulumi", "@pulumi/aws"]) assert.equal(installedCopies(consumer, name).length, 1, name);
    });

    it("types the API and ./environments for Pulumi's template settings (no esModuleInterop, no resolveJsonModule, libraries checked)", () => {
        assert.deepEqual(compileErrors(compiled), []);
    });

    it("loads both entry points, resolves an environment, and hides the rest of dist/", () => {
        assert.equal(loaded.code, 0, describeFailure("requiring the package", loaded));
        assert.deepEqual(JSON.parse(loaded.stdout), { planEnvironment: "function", deployEnvironment: "function", preset: "dev", services: ["web"], schemaTitle: "object", deep: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
    });

    it("installs the fargate-service-portal command", () => {
        assert.equal(help.code, 0, describeFailure("fargate-service-portal --help", help));
        assert.match(help.stdout, /--audit-database-url/);
    });

    it("says which driver to install when the audit store's is missing, before listening, without a stack trace", () => {
        assert.equal(withoutDriver.code, 2, describeFailure("fargate-service-portal without PGlite", withoutDriver));
        assert.match(withoutDriver.stderr, /npm install @electric-sql\/pglite/);
        assert.equal(withoutPg.code, 2, describeFailure("fargate-service-portal --audit-database-url without pg", withoutPg));
        assert.match(withoutPg.stderr, /npm install pg\b/);
        for (const run of [withoutDriver, withoutPg]) assert.doesNotMatch(run.stderr, /\n\s+at /);
    });
});
