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
 *
 * Files are read asynchronously and streamed into the hash, within bounds: the program runs inside
 * portals too (the offline plan), where a context such as a whole system directory must neither
 * block every other request nor run for minutes.
 */
export interface BuildInputs {
    /** Absolute or working-directory-relative path of the build context. */
    context: string;
    /** Path of the Dockerfile, relative to the context. */
    dockerfile: string;
    args: Record<string, string>;
    target?: string;
    platform: string;
    /** The layers' compression: gzip when left out. */
    compression?: string;
}

export interface HashLimits {
    /** Files the context may hold (after .dockerignore). */
    maxFiles: number;
    /** Bytes those files may hold together. */
    maxBytes: number;
    /** How long hashing may take, in milliseconds. */
    timeoutMs: number;
}

/** Far above any real build context (the Docker daemon would copy it all); a mistaken one stops in seconds. */
export const BUILD_CONTEXT_LIMITS: HashLimits = { maxFiles: 50_000, maxBytes: 2 * 1024 ** 3, timeoutMs: 60_000 };

/** The context is over a bound: most often a missing `.dockerignore` (node_modules, .git) or the wrong directory. */
export class BuildContextTooLargeError extends Error {
    constructor(context: string, what: string) {
        super(`The build context ${context} ${what}: point image.build.context at the application's directory, or leave out what the image does not need with a .dockerignore.`);
        this.name = "BuildContextTooLargeError";
    }
}

export async function buildContextHash(inputs: BuildInputs, limits: HashLimits = BUILD_CONTEXT_LIMITS): Promise<string> {
    const root = path.resolve(inputs.context);
    const hash = createHash("sha256");
    const budget = { files: 0, bytes: 0, deadline: Date.now() + limits.timeoutMs, limits, root };
    const rules = await readDockerignore(root);
    for (const file of await listFiles(root, "", rules, budget)) {
        hash.update(file).update("\0");
        await streamInto(hash, path.join(root, file), budget);
        hash.update("\0");
    }
    const dockerfile = path.resolve(root, inputs.dockerfile);
    // The Dockerfile may sit outside the context, or be excluded by .dockerignore: hash it anyway.
    hash.update("dockerfile\0").update(await fs.promises.readFile(dockerfile));
    const args = Object.keys(inputs.args).sort().map((key) => `${key}=${inputs.args[key]}`);
    // A compression other than gzip makes another image: it enters the hash, and gzip builds keep their tags.
    const compression = inputs.compression && inputs.compression !== "gzip" ? { compression: inputs.compression } : {};
    hash.update(JSON.stringify({ args, target: inputs.target ?? "", platform: inputs.platform, ...compression }));
    return hash.digest("hex");
}

interface Budget {
    files: number;
    bytes: number;
    deadline: number;
    limits: HashLimits;
    root: string;
}

function checkTime(budget: Budget): void {
    if (Date.now() > budget.deadline) throw new BuildContextTooLargeError(budget.root, `took longer than ${budget.limits.timeoutMs / 1000} s to hash`);
}

async function streamInto(hash: ReturnType<typeof createHash>, file: string, budget: Budget): Promise<void> {
    // Stryker disable next-line ObjectLiteral: equivalent, the chunk size changes how often the bounds are checked, not the hash
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
        budget.bytes += (chunk as Buffer).length;
        if (budget.bytes > budget.limits.maxBytes) throw new BuildContextTooLargeError(budget.root, `holds more than ${budget.limits.maxBytes} bytes`);
        checkTime(budget);
        hash.update(chunk as Buffer);
    }
}

interface IgnoreRules {
    ignores(relative: string): boolean;
    /** Whether any "!" rule re-includes paths, so an ignored directory may still hold included files. */
    hasExceptions: boolean;
}

async function readDockerignore(root: string): Promise<IgnoreRules> {
    let text: string;
    try {
        text = await fs.promises.readFile(path.join(root, ".dockerignore"), "utf8");
    } catch (error) {
        // Stryker disable next-line ArrowFunction,BooleanLiteral: equivalent without a .dockerignore, nothing is ignored whether directories are skipped whole or not
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ignores: () => false, hasExceptions: false };
        throw error;
    }
    const lines = text.split(/\r?\n/);
    const rules = dockerignore({ ignorecase: false }).add(lines);
    // Stryker disable next-line StringLiteral: equivalent, seeing exceptions everywhere only stops skipping ignored directories whole (slower, same hash)
    return { ignores: (relative) => rules.ignores(relative), hasExceptions: lines.some((line) => line.trim().startsWith("!")) };
}

/** Files below `dir`, sorted, as POSIX paths relative to the context; ignored directories are skipped whole. */
async function listFiles(root: string, dir: string, rules: IgnoreRules, budget: Budget): Promise<string[]> {
    checkTime(budget);
    const files: string[] = [];
    const entries = (await fs.promises.readdir(path.join(root, dir), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
        const relative = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
            // Skipping an ignored directory whole (node_modules, .git) keeps hashing fast; not when a
            // "!" rule might re-include something inside it.
            // Stryker disable next-line ConditionalExpression: equivalent when false, the files of an ignored directory are ignored one by one instead (slower, same hash)
            if (!rules.hasExceptions && rules.ignores(relative)) continue;
            files.push(...(await listFiles(root, relative, rules, budget)));
        } else if (entry.isFile() && !rules.ignores(relative)) {
            files.push(relative);
            if (++budget.files > budget.limits.maxFiles) throw new BuildContextTooLargeError(root, `holds more than ${budget.limits.maxFiles} files`);
        }
    }
    return files;
}

/**
 * What is wrong with a build's context or Dockerfile on this machine, or undefined: both are read
 * here (to hash them) and by Docker at deploy, so a missing one is the user's mistake to report
 * before anything is created, not a crash.
 */
export function buildContextProblem(context: string, dockerfile = "Dockerfile"): { key: "context" | "dockerfile"; message: string } | undefined {
    const root = path.resolve(context);
    const stat = fs.statSync(root, { throwIfNoEntry: false });
    if (!stat?.isDirectory()) {
        return { key: "context", message: `${JSON.stringify(context)} is not a directory${path.isAbsolute(context) ? "" : ` (read from ${process.cwd()})`}` };
    }
    if (!fs.statSync(path.resolve(root, dockerfile), { throwIfNoEntry: false })?.isFile()) {
        return { key: "dockerfile", message: `${JSON.stringify(dockerfile)} is not a file in the build context ${JSON.stringify(context)}` };
    }
    return undefined;
}
