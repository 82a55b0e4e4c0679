/**
 * Promotion: the digest an environment runs, copied byte for byte into the release repository under
 * a release tag, then pinned in the target stack file (`image.tag` + `image.digest`, and
 * `image.registryId` when the release registry is another account's). Pure: what is checked and
 * which commands run; automation/promotion.ts runs them and edits the file.
 *
 * The copy is `crane copy` (https://github.com/google/go-containerregistry/blob/main/cmd/crane/doc/crane_copy.md):
 * it moves the manifest as it is, so the digest is the same in the release repository; `crane
 * digest` then reads the digest the release tag names, and a difference stops the promotion before
 * any stack file changes. ECR has no server-side copy between repositories.
 */
import { AWS_REGION, ecrImage } from "./arns";
import { IMAGE_DIGEST, IMAGE_TAG, releaseRepositoryName, repositoryNameProblem } from "./ecrNames";
import { registryHost } from "./imageReference";
import { ACCOUNT_ID } from "./repositoryPolicy";
import type { Problem } from "./validationError";

/** The workload kinds of a stack file whose entries run an image. */
export const PROMOTABLE_KINDS = ["services", "queueWorkers", "scheduledTasks", "eventTasks"] as const;
export type PromotableKind = (typeof PROMOTABLE_KINDS)[number];

export interface PromotionRequest {
    /** The image the source environment runs, by digest: `<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:…` (its `services` output). */
    source: string;
    /** The release tag to copy it to: ECR's tag rules, never a `build-` tag (those stay mutable in build repositories). */
    tag: string;
    /** The workload's key in the target stack file. */
    workload: string;
    /** Where the workload is in the stack file. @default "services" */
    kind?: PromotableKind;
    /** The account that holds the release repository. */
    registryId: string;
    /** The release repository's Region. @default the source image's Region */
    region?: string;
    /** The release repository. @default `<project>/releases/<workload>` */
    repository?: string;
    /** Whether the target stack file names the release registry (`image.registryId`). @default true when the release account is not the source image's account */
    pinRegistryId?: boolean;
}

/** What a checked request does. */
export interface PromotionPlan {
    digest: string;
    sourceAccount: string;
    /** `registry/repository:tag` in the release repository. */
    target: string;
    /** The commands to run, in order: copy, then read back the digest the release tag names. */
    copy: string[];
    verify: string[];
    /** The image keys the target stack file gets. */
    image: { tag: string; digest: string; registryId?: string };
    kind: PromotableKind;
    workload: string;
}

/** Every problem of a request, by key; empty when it can run. */
export function promotionProblems(request: PromotionRequest): Problem[] {
    const problems: Problem[] = [];
    const source = typeof request.source === "string" ? request.source : "";
    const [reference, digest] = source.split("@");
    if (!ecrImage(reference ?? "") || digest === undefined || !IMAGE_DIGEST.test(digest)) {
        problems.push({ path: "source", message: `${JSON.stringify(request.source)} is not a private ECR image by digest (<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<64 hex digits>), as the source environment's services output gives it` });
    }
    if (typeof request.tag !== "string" || !IMAGE_TAG.test(request.tag)) {
        problems.push({ path: "tag", message: `${JSON.stringify(request.tag)} is not an image tag (letters, digits, _ . -; at most 128, not starting with . or -)` });
    } else if (request.tag.startsWith("build-")) {
        problems.push({ path: "tag", message: `"${request.tag}" is a build tag (build-*): give a release tag such as 1.4.2` });
    }
    if (typeof request.workload !== "string" || request.workload.length === 0) problems.push({ path: "workload", message: "is required: the workload's key in the target stack file" });
    if (request.kind !== undefined && !PROMOTABLE_KINDS.includes(request.kind)) problems.push({ path: "kind", message: `${JSON.stringify(request.kind)} is not one of ${PROMOTABLE_KINDS.join(", ")}` });
    if (typeof request.registryId !== "string" || !ACCOUNT_ID.test(request.registryId)) problems.push({ path: "registryId", message: `${JSON.stringify(request.registryId)} is not an AWS account ID (12 digits)` });
    if (request.region !== undefined && !AWS_REGION.test(request.region)) problems.push({ path: "region", message: `${JSON.stringify(request.region)} is not an AWS Region such as eu-west-1` });
    if (request.repository !== undefined) {
        const problem = typeof request.repository === "string" ? repositoryNameProblem(request.repository) : "is not text";
        if (problem) problems.push({ path: "repository", message: problem });
    }
    return problems;
}

/** The plan of a request that has no problems (check with promotionProblems first). */
export function promotionPlan(request: PromotionRequest, project: string): PromotionPlan {
    const [reference, digest] = request.source.split("@");
    const source = ecrImage(reference)!;
    const region = request.region ?? source.region;
    const repository = request.repository ?? releaseRepositoryName(project, request.workload);
    const target = `${registryHost(request.registryId, region)}/${repository}:${request.tag}`;
    const pinRegistryId = request.pinRegistryId ?? request.registryId !== source.account;
    return {
        digest,
        sourceAccount: source.account,
        target,
        copy: ["crane", "copy", request.source, target],
        verify: ["crane", "digest", target],
        image: { tag: request.tag, digest, ...(pinRegistryId ? { registryId: request.registryId } : {}) },
        kind: request.kind ?? "services",
        workload: request.workload,
    };
}
