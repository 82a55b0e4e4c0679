import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as fc from "fast-check";
import type { EngineEvent, RemoteGitProgramArgs, RemoteStack, RemoteWorkspaceOptions } from "@pulumi/pulumi/automation";
import {
    ConfigInvalidError,
    OperationEvent,
    PulumiCliMissingError,
    RemoteSource,
    RemoteWorkspaceSdk,
    deployEnvironment,
    readStackFileEnvironment,
    remoteSourceProblems,
    remoteStackArgs,
    remoteWorkspaces,
} from "../stacks/automation";
import { projectRoot } from "./planFixtures";

const SOURCE: RemoteSource = {
    organization: "acme",
    url: "https://github.com/acme/infra.git",
    branch: "main",
    projectPath: "platform/fargate",
    envVars: { AWS_REGION: "us-east-1", AWS_SECRET_ACCESS_KEY: { secret: "from-the-vault" } },
};

/** Pulumi Deployments as far as this test can see it: the arguments asked for, and a run that reports two engine events. */
function recordingSdk(): { sdk: RemoteWorkspaceSdk; calls: { how: string; args: RemoteGitProgramArgs; options?: RemoteWorkspaceOptions }[]; runs: string[] } {
    const calls: { how: string; args: RemoteGitProgramArgs; options?: RemoteWorkspaceOptions }[] = [];
    const runs: string[] = [];
    const metadata = { op: "create", urn: "urn:pulumi:prod::fargate-service::pulumi:pulumi:Stack::fargate-service-prod", type: "pulumi:pulumi:Stack", provider: "" };
    const stack = {
        up: async (options: { onEvent?: (e: EngineEvent) => void; onOutput?: (text: string) => void } = {}) => {
            runs.push("up");
            options.onEvent?.({ sequence: 0, timestamp: 1, preludeEvent: { config: {} } });
            options.onEvent?.({ sequence: 1, timestamp: 2, resourcePreEvent: { metadata } } as unknown as EngineEvent);
            options.onOutput?.("Updating (acme/fargate-service/prod)\n");
            return { stdout: "", stderr: "", outputs: {}, summary: { resourceChanges: { create: 1 } } };
        },
        cancel: async () => void runs.push("cancel"),
    } as unknown as RemoteStack;
    const record = (how: string) => async (args: RemoteGitProgramArgs, options?: RemoteWorkspaceOptions) => {
        calls.push({ how, args, options });
        return stack;
    };
    return { sdk: { createOrSelectStack: record("createOrSelectStack"), selectStack: record("selectStack") }, calls, runs };
}

describe("operations on Pulumi Deployments (remote workspaces)", () => {
    let workspaceDir: string;
    beforeEach(() => (workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), "remote-"))));
    afterEach(() => fs.rmSync(workspaceDir, { recursive: true, force: true }));

    it("builds the SDK's arguments: a fully qualified stack, the Git source, the runner's environment", () => {
        const { args, options } = remoteStackArgs(SOURCE, "fargate-service", "prod");
        assert.deepEqual(args, { stackName: "acme/fargate-service/prod", url: "https://github.com/acme/infra.git", branch: "main", projectPath: "platform/fargate" });
        assert.deepEqual(options, { envVars: { AWS_REGION: "us-east-1", AWS_SECRET_ACCESS_KEY: { secret: "from-the-vault" } } });
        const pinned = remoteStackArgs({ ...SOURCE, branch: undefined, commitHash: "0123456789abcdef0123456789abcdef01234567" }, "p", "dev").args;
        assert.equal(pinned.commitHash, "0123456789abcdef0123456789abcdef01234567");
        assert.equal("branch" in pinned, false);
    });

    it("deploys prod's stack file remotely with the same progress events, setting no config", async () => {
        const { sdk, calls, runs } = recordingSdk();
        const events: OperationEvent[] = [];
        const prod = readStackFileEnvironment(projectRoot, "prod");
        const outcome = await deployEnvironment("prod", prod.config, { projectDir: projectRoot, workspaceDir, region: prod.aws.region, workspaces: remoteWorkspaces(SOURCE, sdk), onEvent: (e) => events.push(e) });
        assert.deepEqual(outcome.changes, { create: 1 });
        assert.deepEqual(runs, ["up"]);
        assert.equal(calls[0].how, "createOrSelectStack");
        assert.equal(calls[0].args.stackName, "acme/fargate-service/prod");
        assert.deepEqual(
            events.map((e) => e.type),
            ["started", "resource-started"],
        );
    });

    it("refuses a config other than the stack file's, and an environment without a stack file, before calling the service", async () => {
        const { sdk, calls } = recordingSdk();
        const prod = readStackFileEnvironment(projectRoot, "prod").config;
        const options = { projectDir: projectRoot, workspaceDir, workspaces: remoteWorkspaces(SOURCE, sdk) };
        await assert.rejects(deployEnvironment("prod", { ...prod, preset: "dev" }, options), (error: unknown) => error instanceof ConfigInvalidError && /deploy Pulumi\.prod\.yaml as it is/.test(error.message));
        await assert.rejects(deployEnvironment("pr-5", prod, options), /has no stack file/);
        assert.equal(calls.length, 0);
    });

    it("refuses Git sources the runner cannot clone and refs git refuses, naming the key", () => {
        const paths = (source: Partial<RemoteSource>) => remoteSourceProblems({ ...SOURCE, ...source }).map((p) => p.path);
        assert.deepEqual(paths({}), []);
        for (const url of ["file:///srv/infra", "/srv/infra", "../infra", "https://", "http://github.com/acme/infra.git"]) assert.deepEqual(paths({ url }), ["url"], url);
        assert.deepEqual(paths({ url: "git@github.com:acme/infra.git" }), []);
        for (const branch of ["a..b", "feat ure", "x.lock", "topic/", ".hidden", "a@{1}", "a:b", ""]) assert.deepEqual(paths({ branch }), ["branch"], branch);
        assert.deepEqual(paths({ commitHash: "0123456789abcdef0123456789abcdef01234567" }), ["branch"], "branch and commit together");
        assert.deepEqual(paths({ branch: undefined, commitHash: "abc123" }), ["commitHash"]);
        assert.deepEqual(paths({ projectPath: "../elsewhere" }), ["projectPath"]);
        assert.deepEqual(paths({ organization: "acme corp" }), ["organization"]);
        assert.throws(() => remoteWorkspaces({ ...SOURCE, url: "file:///srv/infra" }), ConfigInvalidError);
    });

    it("accepts every ordinary branch name and refuses every one with ..", () => {
        const segment = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,10}$/);
        fc.assert(fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), (parts) => assert.deepEqual(remoteSourceProblems({ ...SOURCE, branch: parts.join("/") }), [])));
        fc.assert(fc.property(segment, segment, (a, b) => assert.equal(remoteSourceProblems({ ...SOURCE, branch: `${a}..${b}` }).length, 1)));
    });

    it("gets as far as the Pulumi CLI with the real SDK: its own checks of the arguments pass", async () => {
        const PATH = process.env.PATH;
        process.env.PATH = "/nonexistent";
        try {
            const prod = readStackFileEnvironment(projectRoot, "prod");
            await assert.rejects(deployEnvironment("prod", prod.config, { projectDir: projectRoot, workspaceDir, region: prod.aws.region, workspaces: remoteWorkspaces(SOURCE) }), PulumiCliMissingError);
        } finally {
            process.env.PATH = PATH;
        }
        const { RemoteWorkspace } = await import("@pulumi/pulumi/automation");
        await assert.rejects(RemoteWorkspace.createOrSelectStack({ ...remoteStackArgs(SOURCE, "p", "dev").args, stackName: "dev" }), /must be fully qualified/, "the SDK refuses what remoteStackArgs never builds");
    });
});
