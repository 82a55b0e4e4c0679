import * as pulumi from "@pulumi/pulumi";
import { LifecyclePolicy } from "@pulumi/aws/ecr/lifecyclePolicy";
import { Repository } from "@pulumi/aws/ecr/repository";
import { RepositoryPolicy } from "@pulumi/aws/ecr/repositoryPolicy";
import { releaseRepositoryArgsSchema } from "../core/componentSchemas";
import { releaseRepositoryName, repositoryNameProblem } from "../core/ecrNames";
import { releaseLifecyclePolicy } from "../core/lifecyclePolicy";
import { awsName } from "../core/names";
import { keyText, pullAccessProblems, pullPolicyDocument } from "../core/repositoryPolicy";
import { EveryArgumentChecked, parseOrThrow } from "../core/validation";
import { ValidationError } from "../core/validationError";
import { accountContext } from "./accountContext";
import { componentType } from "./componentType";
import { withPreflight } from "./preflight";

/** A workload's release repository, which environments run release tags from. */
export interface ReleaseRepositoryArgs {
    /**
     * The repository's name: environments read `image.tag` from `<project>/releases/<workload>`
     * unless told otherwise, so keep the default to let them find it without configuration.
     * @default `<project>/releases/<name>`, from the Pulumi project and the component's name
     * @example
     * ```ts
     * { name: "shop/releases/api" }
     * ```
     */
    name?: string;
    /**
     * Other AWS accounts whose environments run these releases: their principals may pull images
     * and look up which digest a tag names (the deploy-time check), and nothing else. Each account
     * still decides which of its roles may (the execution role's own policy). 12-digit IDs, each
     * once, never this repository's own account (its roles need no grant here).
     * @default none: no repository policy, only this account pulls
     * @example
     * ```ts
     * { pullAccounts: ["111122223333", "444455556666"] }
     * ```
     */
    pullAccounts?: string[];
    /**
     * With `pullAccounts`: only principals of this AWS Organization (`aws:PrincipalOrgID`), so an
     * account that leaves the organization loses access.
     * @default none
     * @example
     * ```ts
     * { pullAccounts: ["111122223333"], organizationId: "o-a1b2c3d4e5" }
     * ```
     */
    organizationId?: string;
    /**
     * With `pullAccounts`: only these roles or users (`aws:PrincipalArn`, `*` and `?` allowed in the
     * name), each in one of the named accounts. A condition, not a principal, so a role that does
     * not exist yet (an environment not deployed) can be named.
     * @default every principal of the named accounts that its own IAM policies allow
     * @example
     * ```ts
     * { pullAccounts: ["111122223333"], principalArns: ["arn:aws:iam::111122223333:role/prod-*-execution-*"] }
     * ```
     */
    principalArns?: string[];
    /**
     * Days after which untagged images (interrupted pushes) expire. No rule ever expires a tagged
     * image: every release stays.
     * @default 14
     * @example
     * ```ts
     * { untaggedExpiryDays: 7 }
     * ```
     */
    untaggedExpiryDays?: number;
    /**
     * A customer-managed KMS key to encrypt images with. Accounts pulling across accounts then
     * also need kms:Decrypt on it, in the key's policy.
     * @default AES-256 with an AWS-owned key
     * @example
     * ```ts
     * { kmsKeyArn: key.arn }
     * ```
     */
    kmsKeyArn?: pulumi.Input<string>;
    /**
     * Tags for the repository.
     * @default {}
     * @example
     * ```ts
     * { tags: { team: "platform" } }
     * ```
     */
    tags?: Record<string, string>;
}

export const RELEASE_REPOSITORY_DEFAULTS = { untaggedExpiryDays: 14 } as const;

/**
 * The repository CI pushes release tags to and environments run them from, owned as
 * infrastructure: immutable tags, scan on push, encrypted, a lifecycle policy that never expires a
 * release, protected and kept in AWS if removed from the program or its stack destroyed (a running
 * environment's image must outlive any mistake here). With `pullAccounts`, a repository policy lets
 * those accounts pull and nothing more.
 */
export class ReleaseRepository extends pulumi.ComponentResource {
    public readonly repository: Repository;
    public readonly lifecyclePolicy: LifecyclePolicy;
    /** The repository policy; undefined without `pullAccounts`. */
    public readonly repositoryPolicy?: RepositoryPolicy;
    public readonly repositoryUrl: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    /** The account that holds the repository: what consuming environments give as `image.registryId`. */
    public readonly registryId: pulumi.Output<string>;

    constructor(name: string, args: ReleaseRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
        const source = `ReleaseRepository "${name}"`;
        parseOrThrow(releaseRepositoryArgsSchema, args, source, "args");
        // Named, not auto-named: CI pushes to it and environments read from it by this name.
        const repositoryName = args.name ?? releaseRepositoryName(pulumi.getProject(), name);
        const problem = repositoryNameProblem(repositoryName);
        if (problem) throw new ValidationError(source, [{ path: "name", message: problem }]);
        super(componentType("ReleaseRepository"), name, args, withPreflight(opts));
        // A release must outlive a mistaken destroy, rename or removal: never deleted by Pulumi, never with its images.
        const stateful = { parent: this, protect: true, retainOnDelete: true };
        this.repository = new Repository(
            awsName("ecrRepository", name),
            {
                name: repositoryName,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [args.kmsKeyArn ? { encryptionType: "KMS", kmsKey: args.kmsKeyArn } : { encryptionType: "AES256" }],
                forceDelete: false,
                tags: args.tags,
            },
            stateful,
        );
        this.lifecyclePolicy = new LifecyclePolicy(
            name,
            { repository: this.repository.name, policy: JSON.stringify(releaseLifecyclePolicy(args.untaggedExpiryDays ?? RELEASE_REPOSITORY_DEFAULTS.untaggedExpiryDays)) },
            { parent: this },
        );
        if (args.pullAccounts !== undefined) {
            const access = { accounts: args.pullAccounts, organizationId: args.organizationId, principalArns: args.principalArns };
            // The repository's own account is known only from the provider: checked before the policy is sent.
            const policy = accountContext(this).apply((account) => {
                const problems = pullAccessProblems(access, account.accountId, account.partition);
                if (problems.length > 0) throw new ValidationError(source, problems.map((p) => ({ path: `args.${keyText(p.path)}`, message: p.message })), "args");
                return JSON.stringify(pullPolicyDocument(access, account.partition));
            });
            this.repositoryPolicy = new RepositoryPolicy(name, { repository: this.repository.name, policy }, { parent: this });
        }
        this.repositoryUrl = this.repository.repositoryUrl;
        this.arn = this.repository.arn;
        this.registryId = this.repository.registryId;
        this.registerOutputs({ repositoryUrl: this.repositoryUrl, arn: this.arn, registryId: this.registryId });
    }
}

/** Every argument has its rule in the schema: adding one without it does not compile. */
const releaseRepositoryArgsChecked: EveryArgumentChecked<ReleaseRepositoryArgs, typeof releaseRepositoryArgsSchema.shape> = true;
