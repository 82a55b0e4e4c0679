import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { PromotionPlan, PromotionRequest, promotionPlan, promotionProblems } from "../core/promotion";
import { checkEnvironmentName, readProject, readStackFileEnvironment } from "./config";
import { ConfigInvalidError } from "./errors";
import { judge } from "./judge";

/**
 * The release flow's promotion step, as an Automation API call: copy the digest an environment runs
 * into the release repository under a release tag (`crane copy`), read back the digest the tag now
 * names (`crane digest`), and pin it in the target stack file. Each step runs only when the one
 * before succeeded; the stack file is written last, and only as a file the environment accepts.
 * Deploying the target is the next, separate step (`deployEnvironment`, or `pulumi up`).
 */

/** Runs a command and returns its standard output; rejects with its standard error. */
export type CommandRunner = (command: string[]) => Promise<string>;

/** A promotion step that failed after its inputs were accepted. */
export class PromotionError extends Error {
    constructor(
        readonly code: "copy-failed" | "digest-mismatch",
        message: string,
        options?: { cause?: unknown },
    ) {
        super(message, options);
        this.name = "PromotionError";
    }
}

export interface PromoteImageOptions {
    /** The project directory, which holds Pulumi.yaml and the target's stack file. @default the current directory */
    projectDir?: string;
    /** How commands run. @default the command itself, with crane on the PATH and registry credentials already set up (`crane auth login`) */
    run?: CommandRunner;
}

export interface PromotionOutcome {
    /** The digest now under the release tag, the same as the source's. */
    digest: string;
    /** `registry/repository:tag` in the release repository. */
    target: string;
    /** The stack file that was pinned. */
    file: string;
    /** The keys the workload's image got. */
    image: PromotionPlan["image"];
}

const runCommand: CommandRunner = ([command, ...args]) =>
    new Promise((resolve, reject) => {
        execFile(command, args, { maxBuffer: 1 << 20 }, (error, stdout, stderr) => (error ? reject(new Error(stderr.trim() || error.message, { cause: error })) : resolve(stdout)));
    });

/**
 * Promotes one image to `stack` (say prod): `request.source` is what the source environment runs
 * (`pulumi stack output services --stack dev`, or `environmentOutputs("dev")`). Refuses, naming the
 * key, a request or a stack file it cannot carry out before any command runs.
 */
export async function promoteImage(stack: string, request: PromotionRequest, options: PromoteImageOptions = {}): Promise<PromotionOutcome> {
    checkEnvironmentName(stack);
    const projectDir = path.resolve(options.projectDir ?? process.cwd());
    const problems = promotionProblems(request);
    if (problems.length > 0) throw new ConfigInvalidError("promoteImage", problems);
    const project = readProject(projectDir).name;
    const plan = promotionPlan(request, project);
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    // Judged before the copy: a stack file the pin cannot go into stops the promotion with nothing copied.
    const text = pinnedStackFile(stack, fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined, project, plan);
    judgePinned(projectDir, stack, text);

    const run = options.run ?? runCommand;
    try {
        await run(plan.copy);
    } catch (error) {
        throw new PromotionError("copy-failed", `could not copy ${request.source} to ${plan.target}: ${(error as Error).message}`, { cause: error });
    }
    const copied = (await run(plan.verify)).trim();
    if (copied !== plan.digest) {
        throw new PromotionError("digest-mismatch", `${plan.target} names ${copied || "no digest"}, not ${plan.digest}, the digest the source runs: ${stack}'s stack file is unchanged; the release tag is immutable, so give a new tag`);
    }
    fs.writeFileSync(file, text);
    return { digest: plan.digest, target: plan.target, file: `Pulumi.${stack}.yaml`, image: plan.image };
}

/**
 * The stack file with the workload's image pinned, comments and layout kept (the yaml library's
 * document model). The workload must be in the file, running a tag: a workload that builds or runs
 * a URI is changed by hand, on purpose, not by a promotion.
 */
export function pinnedStackFile(stack: string, text: string | undefined, project: string, plan: PromotionPlan): string {
    const source = `Pulumi.${stack}.yaml`;
    if (text === undefined) throw new ConfigInvalidError(source, [{ path: "(file)", message: "not found: the stack to promote to needs its stack file" }]);
    const document = YAML.parseDocument(text);
    const base = ["config", `${project}:${plan.kind}`, plan.workload];
    const key = `${project}:${plan.kind}.${plan.workload}`;
    const entry = document.getIn(base);
    if (!YAML.isMap(entry)) throw new ConfigInvalidError(source, [{ path: key, message: `is not in the file: promote to a workload the stack already runs` }]);
    const image = document.getIn([...base, "image"]);
    for (const other of ["uri", "build"]) {
        if (YAML.isMap(image) && image.has(other)) {
            throw new ConfigInvalidError(source, [{ path: `${key}.image.${other}`, message: `is set: a promotion pins image.tag and image.digest; change ${key}.image to a tag by hand first` }]);
        }
    }
    document.setIn([...base, "image", "tag"], plan.image.tag);
    document.setIn([...base, "image", "digest"], plan.image.digest);
    if (plan.image.registryId !== undefined) document.setIn([...base, "image", "registryId"], plan.image.registryId);
    return document.toString();
}

/** The pinned file judged as the environment judges its stack file, from a scratch copy (the real one is written only after the copy). */
function judgePinned(projectDir: string, stack: string, text: string): void {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "promotion-"));
    try {
        fs.copyFileSync(path.join(projectDir, "Pulumi.yaml"), path.join(scratch, "Pulumi.yaml"));
        fs.writeFileSync(path.join(scratch, `Pulumi.${stack}.yaml`), text);
        const pinned = readStackFileEnvironment(scratch, stack);
        judge(stack, pinned.config, { projectDir, region: pinned.aws.region, source: pinned.file });
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}
