import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import dockerignore from "@balena/dockerignore";

/**
 * A content hash of a Docker build: every file the build can see (what `.dockerignore` leaves),
 * the Dockerfile, the build arguments, the target and the platform.
 *
 * Built images are tagged with it. An immutable repository never accepts the same tag twice, so
 * the tag has to change exactly when the image does: a fixed tag such as `latest` breaks the second
 * push, a timestamp rebuilds and redeploys when nothing changed.
 */
export interface BuildInputs {
    /** Absolute or working-directory-relative path of the build context. */
    context: string;
    /** Path of the Dockerfile, relative to the context. */
    dockerfile: string;
    args: Record<string, string>;
    target?: string;
    platform: string;
}

export function buildContextHash(inputs: BuildInputs): string {
    const root = path.resolve(inputs.context);
    const hash = createHash("sha256");
    const rules = readDockerignore(root);
    for (const file of listFiles(root, "", rules)) {
        hash.update(file).update("\0").update(fs.readFileSync(path.join(root, file))).update("\0");
    }
    const dockerfile = path.resolve(root, inputs.dockerfile);
    // The Dockerfile may sit outside the context, or be excluded by .dockerignore: hash it anyway.
    hash.update("dockerfile\0").update(fs.readFileSync(dockerfile));
    const args = Object.keys(inputs.args).sort().map((key) => `${key}=${inputs.args[key]}`);
    hash.update(JSON.stringify({ args, target: inputs.target ?? "", platform: inputs.platform }));
    return hash.digest("hex");
}

interface IgnoreRules {
    ignores(relative: string): boolean;
    /** Whether any "!" rule re-includes paths, so an ignored directory may still hold included files. */
    hasExceptions: boolean;
}

function readDockerignore(root: string): IgnoreRules {
    const file = path.join(root, ".dockerignore");
    if (!fs.existsSync(file)) return { ignores: () => false, hasExceptions: false };
    const lines = fs.readFileSync(file, "utf8").split(/\r?\n/);
    const rules = dockerignore({ ignorecase: false }).add(lines);
    return { ignores: (relative) => rules.ignores(relative), hasExceptions: lines.some((line) => line.trim().startsWith("!")) };
}

/** Files below `dir`, sorted, as POSIX paths relative to the context; ignored directories are skipped whole. */
function listFiles(root: string, dir: string, rules: IgnoreRules): string[] {
    const files: string[] = [];
    const entries = fs.readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
        const relative = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
            // Skipping an ignored directory whole (node_modules, .git) keeps hashing fast; not when a
            // "!" rule might re-include something inside it.
            if (!rules.hasExceptions && rules.ignores(relative)) continue;
            files.push(...listFiles(root, relative, rules));
        } else if (entry.isFile() && !rules.ignores(relative)) {
            files.push(relative);
        }
    }
    return files;
}
