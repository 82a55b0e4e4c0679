import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as dockerBuild from "@pulumi/docker-build";
import { getAuthorizationTokenOutput } from "@pulumi/aws/ecr/getAuthorizationToken";
import { getImage } from "@pulumi/aws/ecr/getImage";
import { buildContextHash } from "../core/buildContextHash";
import { buildImageTag } from "../core/ecrNames";
import { Architecture, ImageCompression } from "../core/enums";
import type { AccountContext } from "../core/iamDocuments";
import { ImageLookup, ImageNotFoundError, checkResolvedDigest, digestReference, lookupFailedMessage, notFoundKind, notPushedMessage, registryHost } from "../core/imageReference";

/** Which image a task runs. Exactly one of `uri`, `tag` and `build`. */
export interface ImageArgs {
    /**
     * A complete image URI in any registry. The execution role may pull from a private ECR
     * repository named here, and from no other.
     * @default none
     * @example
     * ```ts
     * { uri: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:4f1c..." }
     * ```
     */
    uri?: pulumi.Input<string>;
    /**
     * A tag pushed by your CI, in `repository` or else in the service's own ECR repository. It is
     * looked up at deploy (a tag that is not there stops the deploy before any service changes) and
     * the task definition runs the digest it names, so a later push cannot change what runs.
     * @default none
     * @example
     * ```ts
     * { tag: "1.4.2", repository: "shop/releases/api" }
     * ```
     */
    tag?: string;
    /**
     * With `tag`: an existing ECR repository of this Region that holds the tag, such as a release
     * repository shared by environments, in this account or in `registryId`'s. No repository is
     * created then.
     * @default with `registryId`, `<project>/releases/<name>` (what `ReleaseRepository` names it); otherwise the service's own repository, created with it
     * @example
     * ```ts
     * { tag: "1.4.2", repository: "shop/releases/api" }
     * ```
     */
    repository?: string;
    /**
     * With `tag`: the AWS account whose registry holds the tag, when it is not this one (a release
     * account's repository that grants this account pull, see `ReleaseRepository`'s `pullAccounts`).
     * The lookup at deploy and the task's pull go to that account's registry in this Region, and
     * the execution role may pull from exactly that repository. No repository is created then.
     * @default this account's registry
     * @example
     * ```ts
     * { tag: "1.4.2", registryId: "111122223333", repository: "shop/releases/api" }
     * ```
     */
    registryId?: string;
    /**
     * With `tag`: the digest the tag must name, as promoted from the environment that tested it.
     * The deploy stops if the tag names another image.
     * @default any digest the tag names
     * @example
     * ```ts
     * { tag: "1.4.2", digest: "sha256:4f1c0e5d2b7a9c3e8f6d1a0b5c4e7f9a2d3b6c8e1f0a9d7c5b3e2f1a0c9d8e7f" }
     * ```
     */
    digest?: string;
    /**
     * Build from a Docker context during `pulumi up` and push to the service's repository.
     * Needs a Docker engine with BuildKit where Pulumi runs.
     * @default none
     * @example
     * ```ts
     * { build: { context: "./app", target: "runtime" } }
     * ```
     */
    build?: ImageBuildArgs;
}

/** A Docker build. */
export interface ImageBuildArgs {
    /**
     * The build context, relative to the directory `pulumi` runs in.
     * @example
     * ```ts
     * { context: "./app" }
     * ```
     */
    context: string;
    /**
     * The Dockerfile, relative to the context.
     * @default "Dockerfile"
     * @example
     * ```ts
     * { dockerfile: "docker/Dockerfile.prod" }
     * ```
     */
    dockerfile?: string;
    /**
     * The stage of a multi-stage Dockerfile to build.
     * @default the last stage
     * @example
     * ```ts
     * { target: "runtime" }
     * ```
     */
    target?: string;
    /**
     * Build arguments (`ARG`). Not for secrets: build arguments are kept in the image history.
     * @default {}
     * @example
     * ```ts
     * { args: { NODE_VERSION: "22" } }
     * ```
     */
    args?: Record<string, string>;
    /**
     * How the pushed layers are compressed. `zstd` starts tasks faster on Fargate (AWS measured
     * up to 27% on large images) and travels with the digest when a release is copied with
     * `crane copy`; ECR's basic scan on push may not read it (enhanced scanning does).
     * @default "gzip"
     * @example
     * ```ts
     * { context: "./app", compression: "zstd" }
     * ```
     */
    compression?: ImageCompression;
    /**
     * The tag to push, for example a commit SHA from CI. It is pushed with the prefix `build-`
     * (unless it has it): the repository keeps every tag immutable except `build-*`, so a rebuild of
     * the same source (a chmod, a docker-build upgrade) can push it again. Tasks run the digest.
     * @default a hash of the context's files, the Dockerfile, the arguments and the platform, so the tag changes exactly when the image does
     * @example
     * ```ts
     * { tag: process.env.GITHUB_SHA }
     * ```
     */
    tag?: string;
}

/** The Docker platform for a task architecture. */
export function dockerPlatform(architecture: Architecture): "linux/amd64" | "linux/arm64" {
    return architecture === Architecture.ARM64 ? "linux/arm64" : "linux/amd64";
}

/** The tag a build is pushed under: always within the repository's mutable `build-*` exception; the context's hash is read without blocking the program. */
export function buildTag(build: ImageBuildArgs, architecture: Architecture): pulumi.Output<string> {
    if (build.tag) return pulumi.output(buildImageTag(build.tag));
    const hash = buildContextHash({
        context: build.context,
        dockerfile: build.dockerfile ?? "Dockerfile",
        args: build.args ?? {},
        target: build.target,
        platform: dockerPlatform(architecture),
        compression: build.compression,
    });
    return pulumi.output(hash.then((digest) => buildImageTag(digest.slice(0, 16))));
}

export interface BuiltImage {
    /** The docker-build Image, typed as a plain resource so the published declarations need no @pulumi/docker-build (an optional peer). */
    image: pulumi.CustomResource;
    /** `repository@sha256:...`: what the task definition runs, so a re-pushed tag can never change it. */
    ref: pulumi.Output<string>;
}

/** Builds the image and pushes it to the repository, authenticating with a short-lived ECR token. */
export function buildAndPushImage(
    name: string,
    build: ImageBuildArgs,
    architecture: Architecture,
    repository: { repositoryUrl: pulumi.Output<string>; registryId: pulumi.Output<string> },
    parent: pulumi.Resource,
): BuiltImage {
    // Loaded only when a build is asked for, so programs that run existing images need no
    // @pulumi/docker-build (an optional peer dependency).
    const docker: typeof dockerBuild = require("@pulumi/docker-build");
    const token = getAuthorizationTokenOutput({ registryId: repository.registryId }, { parent });
    const tag = buildTag(build, architecture);
    const zstd = build.compression === ImageCompression.Zstd;
    const image = new docker.Image(
        name,
        {
            context: { location: build.context },
            dockerfile: { location: path.join(build.context, build.dockerfile ?? "Dockerfile") },
            target: build.target,
            buildArgs: build.args,
            platforms: [dockerPlatform(architecture) === "linux/arm64" ? docker.Platform.Linux_arm64 : docker.Platform.Linux_amd64],
            // zstd layers need the registry exporter's own settings; it pushes the tags itself.
            push: !zstd,
            exports: zstd ? [{ registry: { compression: docker.CompressionType.Zstd, forceCompression: true, ociMediaTypes: true } }] : undefined,
            tags: [pulumi.interpolate`${repository.repositoryUrl}:${tag}`],
            registries: [
                {
                    address: repository.repositoryUrl,
                    username: token.userName,
                    password: pulumi.secret(token.password),
                },
            ],
        },
        { parent },
    );
    return { image, ref: pulumi.interpolate`${repository.repositoryUrl}@${image.digest}` };
}

/**
 * The image a tag names, by digest, read from ECR at deploy (in `pulumi preview` too). A tag that
 * is not there, or names another digest than `expected`, stops the deploy with a message saying
 * what to push: every resource that runs the image waits for this value, so none changes.
 */
export function resolveImageTag(
    tag: string,
    repository: pulumi.Input<string>,
    account: pulumi.Output<AccountContext>,
    parent: pulumi.Resource,
    expected?: string,
    registryId?: string,
): pulumi.Output<string> {
    return pulumi.all([repository, account]).apply(async ([repositoryName, acct]) => {
        const full: ImageLookup = { tag, repository: repositoryName, registryId: registryId ?? acct.accountId, region: acct.region };
        let found: { imageDigest: string; registryId: string };
        try {
            // Another account's registry is named; without it, DescribeImages reads this account's.
            found = await getImage({ repositoryName, imageTag: tag, ...(registryId !== undefined ? { registryId } : {}) }, { parent });
        } catch (error) {
            const kind = notFoundKind(error);
            throw new ImageNotFoundError(kind ? notPushedMessage(full, kind) : lookupFailedMessage(full, error));
        }
        const digest = checkResolvedDigest(full, found.imageDigest, expected);
        return digestReference(registryHost(found.registryId || full.registryId!, acct.region, acct.partition), repositoryName, digest);
    });
}
