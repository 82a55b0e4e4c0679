import { RunError } from "@pulumi/pulumi/errors";
import { IMAGE_DIGEST, repositoryNameProblem } from "./ecrNames";
import { ACCOUNT_ID } from "./repositoryPolicy";

/**
 * From a tag to the image a task runs. A tag is read once, at deploy, and the task definition
 * names the digest it resolved to: what runs is the image that was checked, and a later push
 * cannot change it. A tag that is not there stops the deploy before any service changes.
 */

/** The registry host of an account's private ECR registry in a region. */
// Stryker disable next-line StringLiteral: the default only has to differ from "aws-cn", which any other text does too
export function registryHost(accountId: string, region: string, partition = "aws"): string {
    // ECR endpoints: https://docs.aws.amazon.com/general/latest/gr/ecr.html (China: amazonaws.com.cn).
    return `${accountId}.dkr.ecr.${region}.amazonaws.com${partition === "aws-cn" ? ".cn" : ""}`;
}

const ECR_IPV4_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\//;

/**
 * The same image through ECR's dual-stack endpoint, `<registry-id>.dkr-ecr.<region>.on.aws`
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-requests.html): tasks in IPv6-only
 * subnets must pull through it, as the IPv4 endpoint has no IPv6 address
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html).
 * Any other reference (another registry, FIPS, China) is returned as it is.
 */
export function dualStackImageUri(uri: string): string {
    return uri.replace(ECR_IPV4_HOST, (_, account: string, region: string) => `${account}.dkr-ecr.${region}.on.aws/`);
}

/** `registry/repository@sha256:...`: an image by digest. */
export function digestReference(registry: string, repository: string, digest: string): string {
    return `${registry}/${repository}@${digest}`;
}

/** What a deploy knows about the image it looked for. */
export interface ImageLookup {
    repository: string;
    tag: string;
    registryId?: string;
    region?: string;
}

/**
 * An image that is not where the program was told to find it: a clear stop, not a stack trace.
 * A RunError, so Pulumi shows the message alone.
 */
export class ImageNotFoundError extends RunError {
    constructor(message: string) {
        super(message);
        this.name = "ImageNotFoundError";
    }
}

/**
 * What a failed ECR lookup means: the repository is not there, the tag is not there, or something
 * else (access denied, throttling, no network), reported as it is. The errors are those of the ecr
 * getImage data source (DescribeImages: RepositoryNotFoundException, ImageNotFoundException; an
 * empty answer: "Your query returned no results").
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html#API_DescribeImages_Errors
 */
export function notFoundKind(error: unknown): "repository" | "image" | undefined {
    const text = error instanceof Error ? error.message : String(error);
    if (/RepositoryNotFoundException/.test(text)) return "repository";
    if (/ImageNotFoundException|returned no results/.test(text)) return "image";
    return undefined;
}

/** `api:1.4.2`, as Docker names an image: the repository's last segment and the tag. */
function imageName(lookup: ImageLookup): string {
    return `${lookup.repository.split("/").pop()}:${lookup.tag}`;
}

function where(lookup: ImageLookup): string {
    const scope = [lookup.registryId && `account ${lookup.registryId}`, lookup.region].filter(Boolean).join(", ");
    return `repository ${lookup.repository}${scope ? ` (${scope})` : ""}`;
}

// Stryker disable next-line StringLiteral: the default only has to differ from "repository", which any other text does too
export function notPushedMessage(lookup: ImageLookup, kind: "repository" | "image" = "image"): string {
    return kind === "repository"
        ? `${imageName(lookup)} cannot be read: ${where(lookup)} does not exist; create it and push the tag, then run again (README, "Releasing an image")`
        : `${imageName(lookup)} is not in ${where(lookup)}: push it, then run again (README, "Releasing an image")`;
}

export function lookupFailedMessage(lookup: ImageLookup, error: unknown): string {
    return `could not look up ${imageName(lookup)} in ${where(lookup)}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * A tag pinned to a digest in the stack file (`image.digest`) must still name that digest. In an
 * immutable repository it always does; a difference means the tag was deleted and pushed again
 * with other content, or the stack file names the wrong release.
 */
export function digestMismatchMessage(lookup: ImageLookup, expected: string, actual: string): string {
    return `${imageName(lookup)} in ${where(lookup)} is ${actual}, but image.digest says ${expected}: deploy the digest you promoted, or correct image.digest`;
}

/** The checked image, or the error that stops the deploy. */
export function checkResolvedDigest(lookup: ImageLookup, actual: string, expected?: string): string {
    if (expected !== undefined && expected !== actual) throw new ImageNotFoundError(digestMismatchMessage(lookup, expected, actual));
    return actual;
}

/**
 * The image arguments a component checks itself (a stack file's are checked by its schema, with
 * the same rules): a repository ECR would accept, a digest ECR could report, a registry that is an
 * account ID, each with a tag only.
 */
export function imageArgumentProblems(image: { tag?: string; repository?: string; digest?: string; registryId?: string }): { path: string; message: string }[] {
    const problems: { path: string; message: string }[] = [];
    for (const key of ["repository", "digest", "registryId"] as const) {
        if (image[key] !== undefined && image.tag === undefined) problems.push({ path: `image.${key}`, message: "applies to image.tag only" });
    }
    const repository = image.repository !== undefined ? repositoryNameProblem(image.repository) : undefined;
    if (repository) problems.push({ path: "image.repository", message: repository });
    // ECR's registryId is an account ID (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html).
    if (image.registryId !== undefined && !ACCOUNT_ID.test(image.registryId)) {
        problems.push({ path: "image.registryId", message: `"${image.registryId}" is not an AWS account ID (12 digits)` });
    }
    if (image.digest !== undefined && !IMAGE_DIGEST.test(image.digest)) {
        problems.push({ path: "image.digest", message: `"${image.digest}" is not an image digest (sha256: and 64 lower-case hex digits)` });
    }
    return problems;
}
