import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CommandResult, describeFailure, runCommand } from "./commands";
import { ROOT, Workspace, compileErrors, dependencyClosure, installedCopies, requiresOutside, strayFiles, workspace } from "./workspace";

/**
 * @fargate-service/policy from its tarball, the folder `pulumi policy publish` packs: its
 * PulumiPolicy.yaml, a main that is compiled code, and every module it loads inside the package.
 * Installed alone, its policies load and judge a resource.
 */

/** ECR.2 (tag immutability) on a repository with mutable tags and on one without. */
const JUDGE = `const { POLICIES } = require("@fargate-service/policy/policies");
const policy = POLICIES.find((p) => p.name === "ECR.2");
const judge = (props) => {
    const reported = [];
    const args = { type: "aws:ecr/repository:Repository", props, urn: "urn:pulumi:test::shop::aws:ecr/repository:Repository::web", name: "web", getConfig: () => ({}), notApplicable: () => {}, isType: () => false, asType: () => undefined, stackTags: new Map() };
    policy.validateResource(args, (message) => reported.push(message));
    return reported;
};
console.log(JSON.stringify({ policies: POLICIES.length, mutable: judge({ imageTagMutability: "MUTABLE" }).length, immutable: judge({ imageTagMutability: "IMMUTABLE" }).length }));
`;

describe("@fargate-service/policy, installed from its tarball", () => {
    let ws: Workspace;
    let consumer: string;
    let installed: string;
    let compiled: CommandResult;
    let judged: CommandResult;

    before(async () => {
        ws = await workspace();
        consumer = ws.dirs.policy;
        installed = path.join(consumer, "node_modules", "@fargate-service", "policy");
        assert.equal(ws.installs.policy.code, 0, describeFailure("npm install", ws.installs.policy));
        [compiled, judged] = await Promise.all([Promise.resolve(ws.compiled.policy), runCommand(process.execPath, ["-e", JUDGE], consumer)]);
    });

    it("packs PulumiPolicy.yaml, compiled code, declarations, source maps, README and LICENSE only", () => {
        assert.deepEqual(strayFiles(ws.packed.policy, /^PulumiPolicy\.yaml$/), []);
        const paths = new Set(ws.packed.policy.files.map((f) => f.path));
        for (const needed of ["PulumiPolicy.yaml", "dist/policy/index.js", "dist/policy/policies.js"]) assert.ok(paths.has(needed), `${needed} is not in the tarball`);
    });

    it("runs compiled code: its main names a JavaScript file that the package holds", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as { main: string };
        assert.match(pkg.main, /\.js$/);
        assert.ok(fs.existsSync(path.join(installed, pkg.main)), `${pkg.main} is not in the package`);
    });

    it("loads nothing from outside its folder (no ../ into the repository)", () => {
        assert.deepEqual(requiresOutside(installed), []);
    });

    it("describes the same pack as the repository's own policy/ folder", () => {
        assert.equal(fs.readFileSync(path.join(installed, "PulumiPolicy.yaml"), "utf8"), fs.readFileSync(path.join(ROOT, "policy", "PulumiPolicy.yaml"), "utf8"));
    });

    it("brings @pulumi/policy and what the controls need, and no CLI, plotting or portal library", () => {
        const closure = dependencyClosure(consumer, "@fargate-service/policy");
        assert.ok(closure.includes("@pulumi/policy"));
        for (const name of ["commander", "yaml", "cli-table3", "@viz-js/viz", "picocolors", "express", "jose", "@pulumi/aws", "@pulumi/awsx"]) assert.ok(!closure.includes(name), `${name} came with the pack`);
        assert.equal(installedCopies(consumer, "@pulumi/policy").length, 1);
    });

    it("types its policies for Pulumi's template settings", () => {
        // @pulumi/policy 1.21's own index.d.ts re-exports two names its proxy.d.ts does not
        // declare: every user of @pulumi/policy without skipLibCheck gets these two, not ours.
        const upstream = (line: string) => line.startsWith("node_modules/@pulumi/policy/index.d.ts(2,");
        assert.deepEqual(compileErrors(compiled).filter((line) => !upstream(line)), []);
    });

    it("loads its policies from the installed package and judges a resource with them", () => {
        assert.equal(judged.code, 0, describeFailure("loading the policies", judged));
        const result = JSON.parse(judged.stdout) as { policies: number; mutable: number; immutable: number };
        assert.ok(result.policies > 20, `${result.policies} policies`);
        assert.equal(result.mutable, 1, "a repository with mutable tags fails ECR.2");
        assert.equal(result.immutable, 0, "one with immutable tags passes");
    });
});
