import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import * as YAML from "yaml";
import { CommandRunner, PromotionError, promoteImage } from "../automation/promotion";
import { PromotionRequest, promotionPlan, promotionProblems } from "../core/promotion";
import { projectRoot } from "./planFixtures";

/**
 * Promotion across accounts: the digest dev runs (account 123456789012) copied byte for byte into
 * the release account's repository (999988887777) under a release tag, read back, and pinned in
 * prod's stack file. Commands are recorded, not run: crane is the tool, the checks are ours.
 */

const DEV_ACCOUNT = "123456789012";
const RELEASE_ACCOUNT = "999988887777";
const DIGEST = `sha256:${"4f1c".padEnd(64, "0")}`;
const SOURCE = `${DEV_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/fargate-service/dev/api@${DIGEST}`;
const TARGET = `${RELEASE_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/fargate-service/releases/api:1.5.0`;
const request: PromotionRequest = { source: SOURCE, tag: "1.5.0", workload: "api", registryId: RELEASE_ACCOUNT };

/** A copy of the project's Pulumi.yaml and prod stack file in a fresh directory. */
function projectCopy(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promotion-test-"));
    for (const file of ["Pulumi.yaml", "Pulumi.prod.yaml"]) fs.copyFileSync(path.join(projectRoot, file), path.join(dir, file));
    return dir;
}

/** A registry that copies faithfully (or not), recording every command. */
function registry(digestAfterCopy = DIGEST, copyFails = false): { run: CommandRunner; commands: string[][] } {
    const commands: string[][] = [];
    const run: CommandRunner = async (command) => {
        commands.push(command);
        if (command[1] === "copy" && copyFails) throw new Error("UNAUTHORIZED: authentication required");
        return command[1] === "digest" ? `${digestAfterCopy}\n` : "";
    };
    return { run, commands };
}

const prodImage = (dir: string) => YAML.parse(fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8")).config["fargate-service:services"].api.image;

describe("promotion of one digest across accounts", () => {
    it("copies the digest dev runs into the release account's repository, reads it back, then pins tag, digest and registry in prod's stack file", async () => {
        const dir = projectCopy();
        const { run, commands } = registry();
        const outcome = await promoteImage("prod", request, { projectDir: dir, run });
        assert.deepEqual(commands, [
            ["crane", "copy", SOURCE, TARGET],
            ["crane", "digest", TARGET],
        ]);
        assert.deepEqual(outcome, { digest: DIGEST, target: TARGET, file: "Pulumi.prod.yaml", image: { tag: "1.5.0", digest: DIGEST, registryId: RELEASE_ACCOUNT } });
        assert.deepEqual(prodImage(dir), { tag: "1.5.0", digest: DIGEST, registryId: RELEASE_ACCOUNT });
        const text = fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");
        assert.match(text, /# The web API: a release tag/, "the file's comments are kept");
        assert.match(text, /^# yaml-language-server: \$schema=/);
    });

    it("leaves image.registryId out when the release repository is in the source's own account", async () => {
        const dir = projectCopy();
        await promoteImage("prod", { ...request, registryId: DEV_ACCOUNT }, { projectDir: dir, run: registry().run });
        assert.deepEqual(prodImage(dir), { tag: "1.5.0", digest: DIGEST });
    });

    it("changes no stack file when the release tag names another digest after the copy", async () => {
        const dir = projectCopy();
        const before = fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");
        const other = `sha256:${"e".repeat(64)}`;
        await assert.rejects(promoteImage("prod", request, { projectDir: dir, run: registry(other).run }), (error: PromotionError) => {
            assert.equal(error.code, "digest-mismatch");
            assert.match(error.message, new RegExp(`names ${other}, not ${DIGEST}, the digest the source runs: prod's stack file is unchanged`));
            return true;
        });
        assert.equal(fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8"), before);
    });

    it("reports a copy that failed with the registry's reason, and runs nothing after it", async () => {
        const dir = projectCopy();
        const { run, commands } = registry(DIGEST, true);
        await assert.rejects(promoteImage("prod", request, { projectDir: dir, run }), (error: PromotionError) => {
            assert.equal(error.code, "copy-failed");
            assert.equal(error.message, `could not copy ${SOURCE} to ${TARGET}: UNAUTHORIZED: authentication required`);
            return true;
        });
        assert.equal(commands.length, 1);
    });

    it("refuses every bad input by its key before any command runs", async () => {
        const { run, commands } = registry();
        await assert.rejects(
            promoteImage("prod", { source: "public.ecr.aws/nginx/nginx:1", tag: "build-3f2a", workload: "api", registryId: "9999", region: "mars", repository: "Shop/API" }, { projectDir: projectCopy(), run }),
            (error: Error) => {
                for (const key of ["source", "tag", "registryId", "region", "repository"]) assert.match(error.message, new RegExp(`promoteImage: ${key}: `), key);
                assert.match(error.message, /"build-3f2a" is a build tag/);
                return true;
            },
        );
        assert.deepEqual(commands, []);
    });

    it("refuses a workload the target stack does not run, and one that builds or runs a URI, before any command runs", async () => {
        const { run, commands } = registry();
        await assert.rejects(promoteImage("prod", { ...request, workload: "billing" }, { projectDir: projectCopy(), run }), /Pulumi\.prod\.yaml: fargate-service:services\.billing: is not in the file/);
        const dir = projectCopy();
        const file = path.join(dir, "Pulumi.prod.yaml");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('        tag: "1.4.2"\n      cpu: 512', "        uri: public.ecr.aws/nginx/nginx:1\n      cpu: 512"));
        await assert.rejects(promoteImage("prod", request, { projectDir: dir, run }), /fargate-service:services\.api\.image\.uri: is set: a promotion pins image\.tag and image\.digest/);
        await assert.rejects(promoteImage("../prod", request, { projectDir: dir, run }), (error: Error & { code?: string }) => error.code === "config-invalid");
        assert.deepEqual(commands, []);
    });

    it("accepts every 12-digit registry and every ECR tag that is not a build tag, and copies to exactly that registry and tag", () => {
        fc.assert(
            fc.property(fc.stringMatching(/^\d{12}$/), fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/).filter((t) => !t.startsWith("build-")), (registryId, tag) => {
                const r = { ...request, registryId, tag };
                assert.deepEqual(promotionProblems(r), []);
                const plan = promotionPlan(r, "fargate-service");
                assert.equal(plan.copy[3], `${registryId}.dkr.ecr.us-east-1.amazonaws.com/fargate-service/releases/api:${tag}`);
                assert.equal(plan.image.digest, DIGEST);
            }),
            { numRuns: 200 },
        );
    });
});
