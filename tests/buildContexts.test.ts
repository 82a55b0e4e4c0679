import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as fc from "fast-check";
import { BuildContextTooLargeError, buildContextHash, buildContextProblem } from "../core/buildContextHash";
import { localTokenAuthenticator } from "../portal/auth";
import { ConfigInvalidError, validateEnvironment } from "../stacks/automation";
import { errorOf, post, startPortal } from "./portalHarness";

function write(root: string, files: Record<string, string>): void {
    for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), content);
    }
}

function withDir<T>(body: (dir: string) => T): T {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "build-context-"));
    const done = () => fs.rmSync(dir, { recursive: true, force: true });
    try {
        const result = body(dir);
        if (result instanceof Promise) return result.finally(done) as T;
        done();
        return result;
    } catch (error) {
        done();
        throw error;
    }
}

/** A dev config with one service built from `build`. */
function configBuilding(build: Record<string, unknown>) {
    return { preset: "dev", services: { api: { image: { build }, container: { port: 8080 }, loadBalancer: { healthCheck: { path: "/health" } } } } };
}

/** The problems ConfigInvalidError lists for the config, in the project `dir`. */
function problemsOf(dir: string, build: Record<string, unknown>): { path: string; message: string }[] {
    try {
        validateEnvironment("pr-1", configBuilding(build), { projectDir: dir });
    } catch (error) {
        assert.ok(error instanceof ConfigInvalidError, String(error));
        return error.problems;
    }
    return [];
}

describe("build contexts stay inside the project", () => {
    it("refuses an absolute context and an absolute Dockerfile, naming the key", () =>
        withDir((dir) => {
            write(dir, { "Pulumi.yaml": "name: fargate-service\nruntime: nodejs\n", "app/Dockerfile": "FROM scratch\n" });
            const problems = problemsOf(dir, { context: "/usr/lib", dockerfile: "/etc/hostname" });
            assert.deepEqual(problems.map((p) => p.path), ["fargate-service:services.api.image.build.context"]);
            assert.match(problems[0].message, /"\/usr\/lib" is absolute: give a path relative to the project's directory/);
            assert.deepEqual(problemsOf(dir, { context: "app", dockerfile: "/etc/hostname" }).map((p) => p.path), ["fargate-service:services.api.image.build.dockerfile"]);
            assert.equal(problemsOf(dir, { context: "/proc/self" }).length, 1);
            for (const context of ["C:\\Windows", "\\\\server\\share"]) assert.match(problemsOf(dir, { context })[0].message, /is absolute/, context);
            assert.match(problemsOf(dir, { context: "app\u0000/x" })[0].message, /NUL/);
            assert.match(problemsOf(dir, { context: "app\\..\\.." })[0].message, /goes up with/);
        }));

    it("refuses a context or Dockerfile that goes up with ..", () =>
        withDir((dir) => {
            write(dir, { "Pulumi.yaml": "name: fargate-service\n", "app/Dockerfile": "FROM scratch\n" });
            assert.match(problemsOf(dir, { context: "app/../.." })[0].message, /goes up with/);
            assert.match(problemsOf(dir, { context: "app", dockerfile: "../../etc/passwd" })[0].message, /goes up with/);
        }));

    it("refuses a symbolic link that leads outside the project, for the context and for the Dockerfile", () =>
        withDir((dir) => {
            write(dir, { "Pulumi.yaml": "name: fargate-service\n", "app/Dockerfile": "FROM scratch\n" });
            fs.symlinkSync("/usr/lib", path.join(dir, "escape"));
            fs.symlinkSync("/etc/hostname", path.join(dir, "app", "Dockerfile.link"));
            assert.match(problemsOf(dir, { context: "escape" })[0].message, /leads outside the project \(to \/usr\/lib\)/);
            assert.match(problemsOf(dir, { context: "app", dockerfile: "Dockerfile.link" })[0].message, /leads outside the project/);
        }));

    it("accepts a context inside the project, through a link that stays inside too", () =>
        withDir((dir) => {
            write(dir, { "Pulumi.yaml": "name: fargate-service\n", "app/Dockerfile": "FROM scratch\n", "app/docker/Dockerfile.prod": "FROM scratch\n" });
            fs.symlinkSync(path.join(dir, "app"), path.join(dir, "current"));
            assert.deepEqual(problemsOf(dir, { context: "app" }), []);
            assert.deepEqual(problemsOf(dir, { context: "./current", dockerfile: "docker/Dockerfile.prod" }), []);
        }));

    it("answers the issue's /usr/lib and /etc/hostname request with 400 at once, before reading any file: a request never names a build", async () => {
        const auth = localTokenAuthenticator();
        const portal = await startPortal({ auth });
        try {
            const response = await post(`${portal.url}/api/environments/pr-81/plan`, auth.token, configBuilding({ context: "/usr/lib", dockerfile: "/etc/hostname" }));
            assert.equal(response.status, 400);
            const error = await errorOf(response);
            assert.equal(error.code, "config-invalid");
            // The plan takes the deploy's overrides, and an override's image is a URI or a tag, never a build context on the portal's disk.
            assert.ok(error.problems.some((p: { path: string; message: string }) => p.path === "services.api.image" && p.message === "expected { uri } or { tag }"), JSON.stringify(error.problems));
        } finally {
            await portal.close();
        }
    });
});

describe("build context hash", () => {
    // The tags the previous (synchronous) implementation gave these trees: an unchanged context
    // keeps its tag across the change, so nothing is rebuilt or redeployed.
    const GOLDEN: { name: string; files: Record<string, string>; dockerfile: string; target?: string; hash: string }[] = [
        { name: "simple", files: { Dockerfile: "FROM scratch\n", "app/server.js": "console.log(1)\n", "app/lib/a.js": "a", "b.txt": "b" }, dockerfile: "Dockerfile", hash: "65b21f688b3c7914de88af613b7c07036e13a12d5b523b17319ebf8e2fc1fd8d" },
        {
            name: "ignored",
            files: { Dockerfile: "FROM node:22\n", ".dockerignore": "node_modules\n*.log\n", "node_modules/x/index.js": "x", "debug.log": "l", "src/index.ts": "export {}\n", "src/z/y.ts": "y" },
            dockerfile: "Dockerfile",
            target: "runtime",
            hash: "62d6461b1245decfb41c9f8bff7a4c30c09c8fa9ae867b7a32b188920ace59e3",
        },
        {
            name: "exceptions",
            files: { "docker/Dockerfile.prod": "FROM busybox\n", ".dockerignore": "build\n!build/keep.txt\n", "build/keep.txt": "keep", "build/drop.txt": "drop", "Z.txt": "z", "a.txt": "a" },
            dockerfile: "docker/Dockerfile.prod",
            hash: "ab686e6650723d5c9adffced5bab42a28b124b4c73cb1b6a4af60957d604335c",
        },
    ];

    for (const golden of GOLDEN) {
        it(`gives the ${golden.name} context the same hash as the previous release`, () =>
            withDir(async (dir) => {
                write(dir, golden.files);
                assert.equal(await buildContextHash({ context: dir, dockerfile: golden.dockerfile, args: { B: "2", A: "1" }, target: golden.target, platform: "linux/arm64" }), golden.hash);
            }));
    }

    it("changes when any file changes, and does not depend on the order files were written in", async () => {
        await fc.assert(
            fc.asyncProperty(
                fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}(\/[a-z]{1,6})?$/), { minLength: 1, maxLength: 6 }).filter((names) => names.every((a) => names.every((b) => !b.startsWith(`${a}/`)))),
                fc.nat(),
                async (names, pick) =>
                    withDir(async (dir) => {
                        const files = Object.fromEntries(names.map((name) => [`ctx/${name}`, `content of ${name}`]));
                        const [first, second] = [path.join(dir, "one"), path.join(dir, "two")];
                        write(first, { ...files, "ctx/Dockerfile.x": "FROM scratch\n" });
                        write(second, Object.fromEntries(Object.entries({ ...files, "ctx/Dockerfile.x": "FROM scratch\n" }).reverse()));
                        const inputs = (root: string) => ({ context: path.join(root, "ctx"), dockerfile: "Dockerfile.x", args: {}, platform: "linux/amd64" });
                        const hash = await buildContextHash(inputs(first));
                        assert.equal(await buildContextHash(inputs(second)), hash);
                        fs.appendFileSync(path.join(second, "ctx", names[pick % names.length]), "!");
                        assert.notEqual(await buildContextHash(inputs(second)), hash);
                    }),
            ),
            { numRuns: 25 },
        );
    });

    it("lets the event loop run while it hashes a large context", () =>
        withDir(async (dir) => {
            const chunk = "x".repeat(64 * 1024);
            for (let i = 0; i < 300; i++) write(dir, { [`d${i % 10}/f${i}.bin`]: chunk });
            write(dir, { Dockerfile: "FROM scratch\n" });
            let ticks = 0;
            const timer = setInterval(() => ticks++, 1);
            try {
                await buildContextHash({ context: dir, dockerfile: "Dockerfile", args: {}, platform: "linux/amd64" });
            } finally {
                clearInterval(timer);
            }
            assert.ok(ticks > 0, "timers ran during hashing");
        }));

    it("stops at its bounds of files, bytes and time with an error that says what to do", () =>
        withDir(async (dir) => {
            write(dir, { Dockerfile: "FROM scratch\n", "a.txt": "aaaa", "b.txt": "bbbb", "c/d.txt": "dddd" });
            const inputs = { context: dir, dockerfile: "Dockerfile", args: {}, platform: "linux/amd64" };
            const limits = { maxFiles: 100, maxBytes: 1_000_000, timeoutMs: 60_000 };
            await assert.rejects(buildContextHash(inputs, { ...limits, maxFiles: 3 }), (error: Error) => error instanceof BuildContextTooLargeError && /more than 3 files.*\.dockerignore/.test(error.message));
            await assert.rejects(buildContextHash(inputs, { ...limits, maxBytes: 10 }), /more than 10 bytes/);
            await assert.rejects(buildContextHash(inputs, { ...limits, timeoutMs: -1 }), /took longer than/);
            assert.match(await buildContextHash(inputs, limits), /^[0-9a-f]{64}$/);
        }));
});

describe("build context bounds and problems", () => {
    it("takes a context of exactly as many files and bytes as its bounds allow, not one more", () =>
        withDir(async (dir) => {
            write(dir, { Dockerfile: "FROM scratch\n", "a.txt": "aaaa", "b.txt": "bbbb", "c/d.txt": "dddd" });
            const inputs = { context: dir, dockerfile: "Dockerfile", args: {}, platform: "linux/amd64" };
            const bytes = "FROM scratch\n".length + 12;
            const limits = { maxFiles: 4, maxBytes: bytes, timeoutMs: 60_000 };
            assert.match(await buildContextHash(inputs, limits), /^[0-9a-f]{64}$/);
            await assert.rejects(buildContextHash(inputs, { ...limits, maxFiles: 3 }), { name: "BuildContextTooLargeError", message: `The build context ${dir} holds more than 3 files: point image.build.context at the application's directory, or leave out what the image does not need with a .dockerignore.` });
            await assert.rejects(buildContextHash(inputs, { ...limits, maxBytes: bytes - 1 }), { message: new RegExp(`holds more than ${bytes - 1} bytes`) });
            await assert.rejects(buildContextHash(inputs, { ...limits, timeoutMs: -1500 }), { message: /took longer than -1\.5 s to hash/ });
        }));

    it("reads .dockerignore with Windows line ends, case-sensitively, and skips an ignored directory unless a ! rule may reach into it", () =>
        withDir(async (dir) => {
            const hashOf = (root: string) => buildContextHash({ context: root, dockerfile: "Dockerfile", args: {}, platform: "linux/amd64" });
            write(path.join(dir, "a"), { Dockerfile: "FROM scratch\n", ".dockerignore": "logs\r\nREADME.md\r\n", "README.md": "r", "readme.md": "x", "logs/x.log": "l" });
            write(path.join(dir, "b"), { Dockerfile: "FROM scratch\n", ".dockerignore": "logs\r\nREADME.md\r\n", "readme.md": "x" });
            assert.equal(await hashOf(path.join(dir, "a")), await hashOf(path.join(dir, "b")), "README.md and logs/ are left out, readme.md is not");
            write(path.join(dir, "b2"), { Dockerfile: "FROM scratch\n", ".dockerignore": "logs\r\nREADME.md\r\n" });
            assert.notEqual(await hashOf(path.join(dir, "b")), await hashOf(path.join(dir, "b2")), "readme.md is hashed");
            write(path.join(dir, "c"), { Dockerfile: "FROM scratch\n", ".dockerignore": "logs\n  !logs/keep.txt\n", "logs/keep.txt": "k", "logs/drop.txt": "d" });
            write(path.join(dir, "d"), { Dockerfile: "FROM scratch\n", ".dockerignore": "logs\n  !logs/keep.txt\n", "logs/keep.txt": "k" });
            assert.equal(await hashOf(path.join(dir, "c")), await hashOf(path.join(dir, "d")), "an indented ! rule re-includes a file inside an ignored directory");
            write(path.join(dir, "e"), { Dockerfile: "FROM scratch\n", ".dockerignore": "logs\n  !logs/keep.txt\n" });
            assert.notEqual(await hashOf(path.join(dir, "c")), await hashOf(path.join(dir, "e")));
        }));

    it("fails on a .dockerignore it cannot read, rather than hashing as if there were none", () =>
        withDir(async (dir) => {
            write(dir, { Dockerfile: "FROM scratch\n" });
            fs.mkdirSync(path.join(dir, ".dockerignore"));
            await assert.rejects(buildContextHash({ context: dir, dockerfile: "Dockerfile", args: {}, platform: "linux/amd64" }), { code: "EISDIR" });
        }));

    it("names a missing context or Dockerfile, and where a relative context was read from", () =>
        withDir((dir) => {
            write(dir, { Dockerfile: "FROM scratch\n", "app/x": "x" });
            assert.equal(buildContextProblem(dir), undefined);
            assert.deepEqual(buildContextProblem(path.join(dir, "nope")), { key: "context", message: `${JSON.stringify(path.join(dir, "nope"))} is not a directory` });
            assert.deepEqual(buildContextProblem("nope-relative"), { key: "context", message: `"nope-relative" is not a directory (read from ${process.cwd()})` });
            assert.equal(buildContextProblem(path.join(dir, "Dockerfile"))?.key, "context", "a file is not a context");
            assert.deepEqual(buildContextProblem(path.join(dir, "app")), { key: "dockerfile", message: `"Dockerfile" is not a file in the build context ${JSON.stringify(path.join(dir, "app"))}` });
            assert.equal(buildContextProblem(dir, "app")?.key, "dockerfile", "a directory is not a Dockerfile");
        }));
});
