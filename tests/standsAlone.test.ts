import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The project stands alone: a reader of any tracked file is never sent to a file outside the
 * repository, and no placeholder waits to be filled in. The repository is
 * https://github.com/fargate-service/fargate-service.
 */

const root = path.resolve(__dirname, "..");
const self = path.relative(root, __filename);

/** The files git tracks (a fresh clone has exactly these), as text; binary files aside. */
function trackedTextFiles(): { file: string; text: string }[] {
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean);
    return files
        .filter((file) => file !== self && fs.existsSync(path.join(root, file)))
        .map((file) => ({ file, buffer: fs.readFileSync(path.join(root, file)) }))
        .filter(({ buffer }) => !buffer.subarray(0, 8000).includes(0))
        .map(({ file, buffer }) => ({ file, text: buffer.toString("utf8") }));
}

/** Each line of `text` that matches, as `file:line: text`. */
function hits(files: { file: string; text: string }[], pattern: RegExp): string[] {
    return files.flatMap(({ file, text }) =>
        text.split("\n").flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim().slice(0, 160)}`] : [])),
    );
}

describe("the project stands alone", () => {
    const files = trackedTextFiles();

    it("reads the tracked files (the checks below are not vacuous)", () => {
        assert.ok(files.some((f) => f.file === "README.md"));
        assert.ok(files.length > 200, `${files.length} files`);
    });

    it("sends no reader to the developers' notes beside the repository", () => {
        assert.deepEqual(hits(files, /shared\/reference|\.\.\/shared\//), []);
    });

    it("names no directory of a developer's machine", () => {
        assert.deepEqual(hits(files, /(^|[\s"'`(])\/(work|home|Users)\/[A-Za-z]/), []);
    });

    it("has no OWNER placeholder: every link names the real repository", () => {
        assert.deepEqual(hits(files, /\bOWNER\b/), []);
        const links = files.flatMap(({ text }) => [...text.matchAll(/github\.com\/[\w.-]+\/(pulumi-fargate-service|fargate-service)\b/g)].map((m) => m[0]));
        assert.deepEqual([...new Set(links)].filter((link) => link !== "github.com/fargate-service/fargate-service"), []);
    });

    it("links, in its Markdown, only to files inside the repository", () => {
        const outside = files
            .filter(({ file }) => file.endsWith(".md"))
            .flatMap(({ file, text }) =>
                [...text.matchAll(/\]\(([^)\s#]+)[^)]*\)/g)]
                    .map((m) => m[1])
                    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
                    .filter((target) => path.relative(root, path.resolve(root, path.dirname(file), target)).startsWith(".."))
                    .map((target) => `${file}: ${target}`),
            );
        assert.deepEqual(outside, []);
    });
});
