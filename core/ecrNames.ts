/**
 * ECR repository names and image tags: what AWS accepts, and the names this project gives, which
 * are known before anything is deployed, so CI can push to a repository without reading a stack.
 *
 * - `<project>/<environment>/<workload>`: the repository an environment builds into (its own, created
 *   by its stack);
 * - `<project>/releases/<workload>`: the release repository CI pushes release tags to; environments
 *   run tags from it by digest, and no stack creates or deletes it.
 */

/**
 * CreateRepository's repositoryName: 2 to 256 characters, lower case, components of letters and
 * digits joined by one `.`, `_` or `-`, separated by `/`.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
 */
export const ECR_REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
export const ECR_REPOSITORY_NAME_LENGTH = { min: 2, max: 256 } as const;

/** Why a repository name would be refused by ECR, or undefined when it is valid. */
export function repositoryNameProblem(name: string): string | undefined {
    if (name.length < ECR_REPOSITORY_NAME_LENGTH.min || name.length > ECR_REPOSITORY_NAME_LENGTH.max) {
        return `"${name}" is ${name.length} characters; ECR repository names have ${ECR_REPOSITORY_NAME_LENGTH.min} to ${ECR_REPOSITORY_NAME_LENGTH.max}`;
    }
    if (!ECR_REPOSITORY_NAME.test(name)) {
        return `"${name}" is not an ECR repository name: lower-case letters and digits, parts joined by one . _ or -, path segments separated by /`;
    }
    return undefined;
}

/**
 * An image tag: up to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-` (the OCI
 * distribution spec's tag grammar, which Docker clients enforce before ECR sees the push).
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
 */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** A manifest digest as ECR reports it (`imageDigest`). */
export const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The path segment of release repositories; refused as an environment name so the two never meet. */
export const RELEASES_SEGMENT = "releases";

/**
 * Built images are pushed under tags with this prefix, and their repository keeps every tag
 * immutable except these (IMMUTABLE_WITH_EXCLUSION). docker-build rebuilds when its own hash of
 * the context changes (file modes included: a chmod, another umask, a docker-build upgrade), and
 * would push the same tag again, which an IMMUTABLE repository refuses (ImageTagAlreadyExistsException).
 * Tasks run the digest, never the tag, so a re-pushed build tag cannot change what runs.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
 */
export const BUILD_TAG_PREFIX = "build-";
export const BUILD_TAG_EXCLUSION = { filter: `${BUILD_TAG_PREFIX}*`, filterType: "WILDCARD" } as const;

/**
 * imageTagMutabilityExclusionFilters: 1 to 5 filters of type WILDCARD, each 1 to 128 letters,
 * digits and `._*-` with at most 2 wildcards.
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageTagMutabilityExclusionFilter.html
 * and the Terraform provider's schema for image_tag_mutability_exclusion_filter.
 */
export function exclusionFilterProblem(filter: string): string | undefined {
    if (!/^[A-Za-z0-9._*-]{1,128}$/.test(filter)) return `"${filter}" must be 1 to 128 letters, digits and . _ * -`;
    // Stryker disable next-line ArrayDeclaration: equivalent, a one-item fallback is not over 2 either
    if ((filter.match(/\*/g) ?? []).length > 2) return `"${filter}" has more than 2 wildcards`;
    return undefined;
}

/** A tag for a build: the given one, or a content hash, always within the repository's mutable exception. */
export function buildImageTag(tag: string): string {
    return tag.startsWith(BUILD_TAG_PREFIX) ? tag : `${BUILD_TAG_PREFIX}${tag}`;
}

/** Whether a tag falls under a WILDCARD exclusion filter (`*` matches any run of characters). */
export function matchesWildcard(tag: string, filter: string): boolean {
    const pattern = filter.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*");
    return new RegExp(`^${pattern}$`).test(tag);
}

/** One path segment made of what ECR accepts: lower case, runs of anything else become one "-". */
export function repositorySegment(text: string): string {
    const segment = text
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, "-")
        .replace(/[._-]{2,}/g, (run) => run[0])
        .replace(/^[._-]+|[._-]+$/g, "");
    return segment || "x";
}

/** The repository an environment's stack creates for a workload it builds: `<project>/<environment>/<workload>`. */
export function environmentRepositoryName(project: string, environment: string, workload: string): string {
    return fitRepositoryName([project, environment, workload]);
}

/** The release repository of a workload, shared by every environment: `<project>/releases/<workload>`. */
export function releaseRepositoryName(project: string, workload: string): string {
    return fitRepositoryName([project, RELEASES_SEGMENT, workload]);
}

/** A segment's longest length: three segments and two slashes stay within ECR's 256 characters. */
const SEGMENT_MAX = 80;

function fitRepositoryName(parts: string[]): string {
    return parts.map((part) => repositorySegment(repositorySegment(part).slice(0, SEGMENT_MAX))).join("/");
}
