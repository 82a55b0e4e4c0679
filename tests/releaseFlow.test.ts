import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { FargateService } from "../components/fargateService";
import { ServiceRepository } from "../components/repository";
import type { FargateServiceArgs } from "../components/fargateServiceArgs";
import {
    BUILD_TAG_EXCLUSION,
    ECR_REPOSITORY_NAME,
    IMAGE_TAG,
    buildImageTag,
    environmentRepositoryName,
    exclusionFilterProblem,
    matchesWildcard,
    releaseRepositoryName,
    repositoryNameProblem,
} from "../core/ecrNames";
import { ProgramRun, runProgram } from "../plan/engine";
import { lookupFailedMessage, notFoundKind } from "../core/imageReference";
import { PlanContext } from "../plan/placeholders";
import { planStack as planDocument } from "../plan/plan";
import { renderText } from "../plan/report";
import { readStackConfig } from "../stacks/stackConfig";
import { resolveEnvironment } from "../stacks/environment";
import { environmentProgram } from "../stacks/program";
import { TASK_TYPES, json, ofType, one, run, throwsProblems } from "./helpers";
import { projectRoot } from "./planFixtures";

/**
 * The release flow: dev builds from source into its own repository in one `pulumi up`; CI copies
 * the digest dev runs into the release repository under a release tag; prod reads that tag at
 * deploy and runs the digest. Names are known before any deploy; a tag that is not there stops the
 * deploy before a service changes.
 */

const DIGEST = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;

function planStack(stack: "dev" | "prod", images?: PlanContext["images"]): Promise<ProgramRun> {
    const { project, config, secretKeys } = readStackConfig(projectRoot, stack);
    return runProgram(environmentProgram, { project, stack, config, secretKeys, context: images ? { images } : undefined });
}

/** Every release prod's stack file runs, pushed: api, worker, jobs and cleanup at 1.4.2. */
const PROD_RELEASES = Object.fromEntries(["api", "worker", "jobs", "cleanup"].map((w, i) => [`fargate-service/releases/${w}`, { "1.4.2": DIGEST(i + 1) }]));

const container = (r: ProgramRun, name: string) => json(one(r, TASK_TYPES.taskDefinition, name).inputs.containerDefinitions)[0];

describe("release flow", () => {
    describe("repository names known before the first deploy", () => {
        it("names dev's build repository <project>/<environment>/<workload>, and creates no other", async () => {
            const dev = await planStack("dev");
            assert.deepEqual(
                ofType(dev, TASK_TYPES.repository).map((r) => r.inputs.name),
                ["fargate-service/dev/api"],
            );
        });

        it("creates no repository in prod: its tags are read from the release repositories <project>/releases/<workload>", async () => {
            const prod = await planStack("prod", PROD_RELEASES);
            assert.equal(ofType(prod, TASK_TYPES.repository).length, 0);
            assert.match(container(prod, "prod-api").image, /^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/fargate-service\/releases\/api@sha256:/);
        });

        it("gives every project, environment and workload a repository name ECR accepts", () => {
            fc.assert(
                fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 40 }), fc.string({ maxLength: 300 }), (project, environment, workload) => {
                    for (const name of [environmentRepositoryName(project, environment, workload), releaseRepositoryName(project, workload)]) {
                        assert.equal(repositoryNameProblem(name), undefined, name);
                        assert.equal(name.split("/").length, 3, name);
                    }
                }),
                { numRuns: 500 },
            );
        });

        it("refuses repository names ECR refuses, saying why", () => {
            assert.match(repositoryNameProblem("a") ?? "", /1 characters; ECR repository names have 2 to 256/);
            assert.match(repositoryNameProblem("x".repeat(257)) ?? "", /257 characters/);
            for (const bad of ["Shop/api", "shop//api", "shop/api/", "-shop/api", "shop/a..b", "shop api"]) {
                assert.ok(repositoryNameProblem(bad), bad);
                assert.equal(ECR_REPOSITORY_NAME.test(bad), false, bad);
            }
            assert.equal(repositoryNameProblem("fargate-service/releases/api"), undefined);
        });
    });

    describe("tags resolved to digests at deploy", () => {
        it("runs the digest the release tag names, in every prod task definition", async () => {
            const prod = await planStack("prod", PROD_RELEASES);
            assert.equal(container(prod, "prod-api").image, `123456789012.dkr.ecr.us-east-1.amazonaws.com/fargate-service/releases/api@${DIGEST(1)}`);
            assert.equal(container(prod, "prod-worker").image, `123456789012.dkr.ecr.us-east-1.amazonaws.com/fargate-service/releases/worker@${DIGEST(2)}`);
            assert.equal(container(prod, "prod-jobs").image.endsWith(`/fargate-service/releases/jobs@${DIGEST(3)}`), true);
            assert.equal(container(prod, "prod-cleanup").image.endsWith(`/fargate-service/releases/cleanup@${DIGEST(4)}`), true);
        });

        it("lists in the plan the images prod's deploy reads by tag, so CI knows what to push first; dev reads none", async () => {
            const prod = await planDocument(projectRoot, "prod");
            assert.deepEqual(
                prod.images.map((i) => `${i.repository}:${i.tag}`),
                ["fargate-service/releases/api:1.4.2", "fargate-service/releases/cleanup:1.4.2", "fargate-service/releases/jobs:1.4.2", "fargate-service/releases/worker:1.4.2"],
            );
            assert.match(renderText(prod), /IMAGES .*\n  fargate-service\/releases\/api:1\.4\.2\n/);
            const dev = await planDocument(projectRoot, "dev");
            assert.deepEqual(dev.images, []);
            assert.doesNotMatch(renderText(dev), /IMAGES/);
        });

        it("lets prod's execution role pull from its own release repository only", async () => {
            const prod = await planStack("prod", PROD_RELEASES);
            const policy = json(one(prod, TASK_TYPES.rolePolicy, "prod-api-execution").inputs.policy);
            const pull = policy.Statement.find((s: any) => s.Sid === "PullImages");
            assert.deepEqual(pull.Resource, ["arn:aws:ecr:us-east-1:123456789012:repository/fargate-service/releases/api"]);
        });

        it("stops the deploy when a tag has not been pushed, naming the image and the repository, before any service is registered", async () => {
            const { ["fargate-service/releases/api"]: _api, ...others } = PROD_RELEASES;
            const missing = { ...others, "fargate-service/releases/api": { "1.4.1": DIGEST(9) } };
            await assert.rejects(planStack("prod", missing), (error: Error) => {
                assert.equal(error.name, "ImageNotFoundError");
                assert.match(error.message, /api:1\.4\.2 is not in repository fargate-service\/releases\/api \(account 123456789012, us-east-1\): push it, then run again/);
                return true;
            });
        });

        it("says when the release repository itself does not exist yet: create it and push the tag", async () => {
            await assert.rejects(planStack("prod", {}), /(api|worker|jobs|cleanup):1\.4\.2 cannot be read: repository fargate-service\/releases\/\1 \(account 123456789012, us-east-1\) does not exist; create it and push the tag, then run again/);
        });

        it("reports a lookup that fails for another reason as it is, not as a missing tag", () => {
            const lookup = { repository: "shop/releases/api", tag: "1.0.0" };
            assert.equal(notFoundKind(new Error("reading ECR Images: AccessDeniedException: not authorized to perform ecr:DescribeImages")), undefined);
            assert.equal(notFoundKind(new Error("reading ECR Images: ImageNotFoundException: …")), "image");
            assert.equal(notFoundKind(new Error("Your query returned no results. Please change your search criteria and try again.")), "image");
            assert.equal(notFoundKind(new Error("reading ECR Images: RepositoryNotFoundException: …")), "repository");
            assert.match(lookupFailedMessage(lookup, new Error("AccessDeniedException")), /^could not look up api:1\.0\.0 in repository shop\/releases\/api: AccessDeniedException$/);
        });

        it("registers no service and no task definition for an image that is not there", async () => {
            const api: FargateServiceArgs = { image: { tag: "2.0.0", repository: "shop/releases/api" }, vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"], loadBalancer: { enabled: false } };
            const registered: string[] = [];
            await assert.rejects(
                runProgram(
                    () => {
                        // Sees every resource the program asks the engine for, before it is sent.
                        pulumi.runtime.registerResourceTransform((args) => {
                            registered.push(args.type);
                            return undefined;
                        });
                        new FargateService("api", api);
                    },
                    { project: "shop", stack: "prod", config: { "aws:region": "eu-west-1" }, context: { images: { "shop/releases/api": {} } } },
                ),
                /api:2\.0\.0 is not in repository shop\/releases\/api/,
            );
            // The same program with the tag pushed registers both; without it, neither reaches the engine.
            const pushed = await runProgram(
                () => {
                    new FargateService("api", api);
                },
                { project: "shop", stack: "prod", config: { "aws:region": "eu-west-1" }, context: { images: { "shop/releases/api": { "2.0.0": DIGEST(5) } } } },
            );
            assert.equal(ofType(pushed, TASK_TYPES.service).length, 1);
            assert.ok(registered.length > 0, "the transform saw the program's other resources");
            assert.deepEqual(registered.filter((type) => type === TASK_TYPES.service || type === TASK_TYPES.taskDefinition), []);
        });

        it("stops the deploy when the tag names another digest than the stack file promoted", async () => {
            const args: FargateServiceArgs = {
                image: { tag: "1.4.2", repository: "shop/releases/api", digest: DIGEST(1) },
                vpcId: "vpc-0123456789abcdef0",
                subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
                loadBalancer: { enabled: false },
            };
            const options = (digest: string) => ({ project: "shop", stack: "prod", config: { "aws:region": "eu-west-1" }, context: { images: { "shop/releases/api": { "1.4.2": digest } } } });
            const ok = await runProgram(() => {
                new FargateService("api", args);
            }, options(DIGEST(1)));
            assert.ok(container(ok, "api").image.endsWith(`@${DIGEST(1)}`));
            await assert.rejects(
                runProgram(() => {
                    new FargateService("api", args);
                }, options(DIGEST(2))),
                new RegExp(`api:1\\.4\\.2 in repository shop/releases/api .* is ${DIGEST(2)}, but image\\.digest says ${DIGEST(1)}`),
            );
        });
    });

    describe("builds never re-push an immutable tag", () => {
        it("keeps dev's build repository immutable except build-* tags, and pushes the build under a build- tag", async () => {
            const dev = await planStack("dev");
            const repository = one(dev, TASK_TYPES.repository);
            assert.equal(repository.inputs.imageTagMutability, "IMMUTABLE_WITH_EXCLUSION");
            assert.deepEqual(repository.inputs.imageTagMutabilityExclusionFilters, [{ filter: "build-*", filterType: "WILDCARD" }]);
            const image = one(dev, TASK_TYPES.image);
            assert.equal(image.inputs.tags.length, 1);
            const tag = String(image.inputs.tags[0]).split(":").pop() as string;
            assert.ok(matchesWildcard(tag, BUILD_TAG_EXCLUSION.filter), tag);
            assert.match(container(dev, "dev-api").image, /^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/fargate-service\/dev\/api@sha256:[0-9a-f]{64}$/);
        });

        it("pushes every given build tag within the mutable exception, as a valid tag", () => {
            fc.assert(
                fc.property(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,121}$/), (given) => {
                    const tag = buildImageTag(given);
                    assert.ok(matchesWildcard(tag, BUILD_TAG_EXCLUSION.filter), tag);
                    assert.ok(IMAGE_TAG.test(tag), tag);
                }),
                { numRuns: 300 },
            );
            assert.equal(buildImageTag("build-abc"), "build-abc");
            assert.equal(buildImageTag("3f2a9c1"), "build-3f2a9c1");
        });

        it("pushes a component's build under its given tag, prefixed", async () => {
            const result = await run(() => {
                new FargateService("api", { image: { build: { context: "examples/app", tag: "3f2a9c1" } }, vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"], loadBalancer: { enabled: false } });
            });
            assert.match(String(one(result, TASK_TYPES.image).inputs.tags[0]), /\/proj\/test\/api:build-3f2a9c1$/);
        });

        it("keeps release tags immutable in a build repository: the exclusion matches build tags only", () => {
            for (const release of ["1.4.2", "v2", "latest", "rebuild-1", "abuild-x"]) assert.equal(matchesWildcard(release, BUILD_TAG_EXCLUSION.filter), false, release);
            assert.equal(exclusionFilterProblem(BUILD_TAG_EXCLUSION.filter), undefined);
            assert.match(exclusionFilterProblem("a*b*c*") ?? "", /more than 2 wildcards/);
            assert.match(exclusionFilterProblem("bad/tag") ?? "", /letters, digits/);
        });

        it("keeps a repository that only holds tags fully immutable", async () => {
            const result = await run(() => {
                new FargateService("api", { image: { tag: "1.0.0" }, vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"], loadBalancer: { enabled: false } });
            });
            const repository = one(result, TASK_TYPES.repository);
            assert.equal(repository.inputs.imageTagMutability, "IMMUTABLE");
            assert.equal(repository.inputs.name, "proj/test/api");
            assert.equal(repository.inputs.imageTagMutabilityExclusionFilters, undefined);
        });
    });

    describe("stack files", () => {
        const resolve = (config: Record<string, unknown>, stack = "prod") =>
            resolveEnvironment({ preset: "dev", ...config }, { project: "fargate-service", stack, source: `Pulumi.${stack}.yaml` });
        const api = (image: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ services: { api: { image, loadBalancer: { enabled: false }, ...extra } } });

        it("places a tag in its release repository and a build in the environment's repository", () => {
            const env = resolve({ services: { api: { image: { tag: "1.4.2" }, loadBalancer: { enabled: false } }, web: { image: { build: { context: "examples/app" } }, loadBalancer: { enabled: false } } } }, "staging");
            assert.equal(env.services.api.image.repository, "fargate-service/releases/api");
            assert.equal(env.services.api.repository, undefined);
            assert.equal(env.services.web.repository.name, "fargate-service/staging/web");
        });

        it("refuses repository settings beside a tag: the stack creates no repository for it", () => {
            throwsProblems(() => resolve(api({ tag: "1.4.2" }, { repository: { keepTaggedImages: 5 } })), "fargate-service:services.api.repository: has no effect with image.tag");
        });

        it("refuses a repository name in the stack file: the environment decides it", () => {
            throwsProblems(() => resolve(api({ build: { context: "examples/app" } }, { repository: { name: "other/api" } })), "fargate-service:services.api.repository.name: is decided by the environment");
        });

        it("refuses an image digest that is not sha256 and 64 hex digits, and a digest without a tag", () => {
            throwsProblems(() => resolve(api({ tag: "1.4.2", digest: "sha256:abc" })), "services.api.image.digest", "is not an image digest");
            throwsProblems(() => resolve(api({ uri: "public.ecr.aws/nginx/nginx:1", digest: DIGEST(1) })), "services.api.image.digest", "applies to image.tag only");
        });

        it("refuses a release repository name ECR would refuse", () => {
            throwsProblems(() => resolve(api({ tag: "1.4.2", repository: "Shop/API" })), "services.api.image.repository", "is not an ECR repository name");
        });

        it("refuses an environment named after the release repositories", () => {
            throwsProblems(() => resolve(api({ tag: "1.4.2" }), "releases"), "stack", '"releases" names the release repositories');
        });
    });

    describe("component arguments", () => {
        const placement = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"], loadBalancer: { enabled: false as const } };
        const refused = (program: () => void, ...fragments: string[]) =>
            assert.rejects(run(program), (error: Error) => {
                assert.equal(error.name, "ValidationError");
                for (const fragment of fragments) assert.ok(error.message.includes(fragment), `expected "${fragment}" in ${error.message}`);
                return true;
            });

        it("refuses a release repository ECR would refuse, a malformed digest and a digest without a tag, before the image is looked up", async () => {
            await refused(() => void new FargateService("api", { ...placement, image: { tag: "1.0.0", repository: "Shop/API" } }), 'FargateService "api": args.image.repository: "Shop/API" is not an ECR repository name');
            await refused(() => void new FargateService("api", { ...placement, image: { tag: "1.0.0", digest: "sha256:xyz" } }), 'args.image.digest: "sha256:xyz" is not an image digest');
            await refused(() => void new FargateService("api", { ...placement, image: { uri: "public.ecr.aws/nginx/nginx:1", digest: DIGEST(1) } }), "args.image.digest: applies to image.tag only");
        });

        it("refuses a repository name ECR would refuse in ServiceRepository", async () => {
            await refused(() => void new ServiceRepository("api", { name: "a" }), 'ServiceRepository "api": args.name: "a" is 1 characters');
        });

        it("names a standalone ServiceRepository <project>/<stack>/<name>", async () => {
            const result = await run(() => void new ServiceRepository("Web_Images", {}));
            assert.equal(one(result, TASK_TYPES.repository).inputs.name, "proj/test/web_images");
        });
    });
});
