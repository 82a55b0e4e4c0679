import * as pulumi from "@pulumi/pulumi";
import { serviceRepositoryArgsSchema } from "../core/componentSchemas";
import { EveryArgumentChecked, parseOrThrow } from "../core/validation";
import { LifecyclePolicy } from "@pulumi/aws/ecr/lifecyclePolicy";
import { Repository, RepositoryArgs as AwsRepositoryArgs } from "@pulumi/aws/ecr/repository";
import { BUILD_TAG_EXCLUSION, environmentRepositoryName, repositoryNameProblem } from "../core/ecrNames";
import { ValidationError } from "../core/validationError";
import { lifecyclePolicy } from "../core/lifecyclePolicy";
import { componentType, withFormerTypeAlias } from "./componentType";
import { withPreflight } from "./preflight";
import { awsName } from "../core/names";

/** The ECR repository a service's images are pushed to. */
export interface RepositoryArgs {
    /**
     * The repository's name, known before the first deploy so CI can push to it without reading
     * the stack. ECR's rules: 2 to 256 lower-case characters, segments separated by `/`.
     * @default `<project>/<stack>/<name>`, from the Pulumi project, the stack and the component's name
     * @example
     * ```ts
     * { name: "shop/dev/api" }
     * ```
     */
    name?: string;
    /**
     * Allow a tag to be pushed again with different content (Security Hub ECR.2 wants tags
     * immutable). Builds push `build-*` tags, which stay mutable anyway, so they never need this.
     * @default false
     * @example
     * ```ts
     * { mutableTags: true }
     * ```
     */
    mutableTags?: boolean;
    /**
     * Let `pulumi destroy` delete the repository while it still holds images. For disposable
     * environments; in production, images should outlive a mistaken destroy.
     * @default false
     * @example
     * ```ts
     * { forceDelete: true }
     * ```
     */
    forceDelete?: boolean;
    /**
     * Days after which untagged images (left by rebuilt tags or failed pushes) expire.
     * @default 7
     * @example
     * ```ts
     * { untaggedExpiryDays: 1 }
     * ```
     */
    untaggedExpiryDays?: number;
    /**
     * How many images to keep; older ones expire. Keep enough to roll back.
     * @default 30
     * @example
     * ```ts
     * { keepTaggedImages: 100 }
     * ```
     */
    keepTaggedImages?: number;
    /**
     * A customer-managed KMS key to encrypt images with.
     * @default AES-256 with an AWS-owned key
     * @example
     * ```ts
     * { kmsKeyArn: key.arn }
     * ```
     */
    kmsKeyArn?: pulumi.Input<string>;
}

export interface ServiceRepositoryArgs extends RepositoryArgs {
    /**
     * Whether `pulumi up` builds into this repository: every tag stays immutable except `build-*`
     * (IMMUTABLE_WITH_EXCLUSION), so a rebuild of the same source may push its tag again.
     * @default false
     * @example
     * ```ts
     * { receivesBuilds: true }
     * ```
     */
    receivesBuilds?: boolean;
    /**
     * Protect the repository from deletion by Pulumi and keep it in AWS if removed from the program.
     * @default false
     * @example
     * ```ts
     * { protect: true }
     * ```
     */
    protect?: boolean;
    /**
     * Tags for the repository.
     * @default {}
     * @example
     * ```ts
     * { tags: { team: "payments" } }
     * ```
     */
    tags?: Record<string, string>;
}

/** Immutable tags, but for build tags in a repository that receives builds. */
function tagMutability(args: ServiceRepositoryArgs): Pick<AwsRepositoryArgs, "imageTagMutability" | "imageTagMutabilityExclusionFilters"> {
    if (args.mutableTags) return { imageTagMutability: "MUTABLE" };
    if (args.receivesBuilds) return { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ ...BUILD_TAG_EXCLUSION }] };
    return { imageTagMutability: "IMMUTABLE" };
}

export const REPOSITORY_DEFAULTS = { untaggedExpiryDays: 7, keepTaggedImages: 30 } as const;

/** An ECR repository that scans every push, keeps tags immutable and cleans up after itself. */
export class ServiceRepository extends pulumi.ComponentResource {
    public readonly repository: Repository;
    public readonly lifecyclePolicy: LifecyclePolicy;
    public readonly repositoryUrl: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: ServiceRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
        parseOrThrow(serviceRepositoryArgsSchema, args, `ServiceRepository "${name}"`, "args");
        // Named, not auto-named: CI pushes to it before it can read any stack output.
        const repositoryName = args.name ?? environmentRepositoryName(pulumi.getProject(), pulumi.getStack(), name);
        const problem = repositoryNameProblem(repositoryName);
        if (problem) throw new ValidationError(`ServiceRepository "${name}"`, [{ path: "name", message: problem }]);
        super(componentType("ServiceRepository"), name, args, withPreflight(withFormerTypeAlias("ServiceRepository", opts)));
        const stateful = { parent: this, protect: args.protect, retainOnDelete: args.protect };
        this.repository = new Repository(
            awsName("ecrRepository", name),
            {
                name: repositoryName,
                ...tagMutability(args),
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [args.kmsKeyArn ? { encryptionType: "KMS", kmsKey: args.kmsKeyArn } : { encryptionType: "AES256" }],
                forceDelete: args.forceDelete ?? false,
                tags: args.tags,
            },
            stateful,
        );
        this.lifecyclePolicy = new LifecyclePolicy(
            name,
            {
                repository: this.repository.name,
                policy: JSON.stringify(
                    lifecyclePolicy({
                        untaggedExpiryDays: args.untaggedExpiryDays ?? REPOSITORY_DEFAULTS.untaggedExpiryDays,
                        keepTaggedImages: args.keepTaggedImages ?? REPOSITORY_DEFAULTS.keepTaggedImages,
                    }),
                ),
            },
            { parent: this },
        );
        this.repositoryUrl = this.repository.repositoryUrl;
        this.arn = this.repository.arn;
        this.registerOutputs({ repositoryUrl: this.repositoryUrl, arn: this.arn });
    }
}

/** Every argument has its rule in the schema: adding one without it does not compile. */
const serviceRepositoryArgsChecked: EveryArgumentChecked<ServiceRepositoryArgs, typeof serviceRepositoryArgsSchema.shape> = true;
