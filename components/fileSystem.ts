import * as pulumi from "@pulumi/pulumi";
import { SecurityGroup } from "@pulumi/aws/ec2/securityGroup";
import { BackupPolicy } from "@pulumi/aws/efs/backupPolicy";
import { FileSystem } from "@pulumi/aws/efs/fileSystem";
import { FileSystemPolicy } from "@pulumi/aws/efs/fileSystemPolicy";
import { MountTarget } from "@pulumi/aws/efs/mountTarget";
import { sharedFileSystemArgsSchema } from "../core/componentSchemas";
import { FILE_SYSTEM_DEFAULTS, fileSystemPolicy } from "../core/efs";
import { EfsThroughputMode } from "../core/enums";
import { awsName } from "../core/names";
import { EFS_LIMITS } from "../core/aws/efsRules";
import { EveryArgumentChecked, parseOrThrow } from "../core/validation";
import { componentType, withFormerTypeAlias } from "./componentType";
import { withPreflight } from "./preflight";

/** An EFS file system the services of an environment mount through their own access points. */
export interface SharedFileSystemArgs {
    /**
     * The VPC of the mount targets' security group: the tasks' VPC.
     * @example
     * ```ts
     * vpcId: vpc.vpcId
     * ```
     */
    vpcId: pulumi.Input<string>;
    /**
     * The subnets to put a mount target in, one per Availability Zone: the tasks' subnets. A list
     * whose length is known when the program runs (a mount target is made for each).
     * @example
     * ```ts
     * subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
     * ```
     */
    subnetIds: pulumi.Input<string>[];
    /**
     * How throughput is billed: `"elastic"` per GB read and written (nothing while idle), or
     * `"bursting"`, included in the storage price with credits earned by the amount stored.
     * @default "elastic"
     * @example
     * ```ts
     * throughputMode: "bursting"
     * ```
     */
    throughputMode?: EfsThroughputMode;
    /**
     * Move files untouched for 30 days to Infrequent Access (about a tenth of Standard's storage
     * price) and back to Standard on their first read.
     * @default true
     * @example
     * ```ts
     * infrequentAccess: false
     * ```
     */
    infrequentAccess?: boolean;
    /**
     * A customer managed KMS key for encryption at rest. The file system is always encrypted.
     * @default the AWS managed key aws/elasticfilesystem
     * @example
     * ```ts
     * kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
     * ```
     */
    kmsKeyArn?: pulumi.Input<string>;
    /**
     * Daily backups by AWS Backup's default plan, kept 35 days (a backup policy ENABLED:
     * https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html). About $0.05 a GB-month of backup.
     * @default true
     * @example
     * ```ts
     * backup: false
     * ```
     */
    backup?: boolean;
    /**
     * Protect the file system: Pulumi refuses to delete it, and removing it from the program
     * leaves it in AWS (`protect` and `retainOnDelete`).
     * @default false
     * @example
     * ```ts
     * protectStatefulResources: true
     * ```
     */
    protectStatefulResources?: boolean;
    /**
     * Tags for every child that takes tags.
     * @default {}
     * @example
     * ```ts
     * tags: { team: "media" }
     * ```
     */
    tags?: Record<string, string>;
}

/**
 * An encrypted EFS file system with a mount target in each subnet, a security group that admits
 * NFS from nothing until a service mounts a volume (each `FargateService` adds a rule from its own
 * tasks' group), and a file system policy that refuses clients without TLS or an access point.
 *
 * `fileSystemId` resolves once every mount target exists: a service given it waits for them, so
 * its first tasks do not fail to mount a file system that has no mount target yet.
 *
 * @example
 * ```ts
 * const files = new SharedFileSystem("files", { vpcId: vpc.vpcId, subnetIds: ["subnet-0aaa...", "subnet-0bbb..."] });
 * new FargateService("cms", {
 *     ...,
 *     volumes: [{ name: "uploads", containerPath: "/data", fileSystemId: files.fileSystemId, securityGroupId: files.securityGroupId }],
 * });
 * ```
 */
export class SharedFileSystem extends pulumi.ComponentResource {
    public readonly fileSystem: FileSystem;
    /** In from the tasks that mount the file system, on NFS (2049) only. */
    public readonly securityGroup: SecurityGroup;
    public readonly mountTargets: MountTarget[];
    public readonly policy: FileSystemPolicy;
    /** Automatic backups, when `backup` is on. */
    public readonly backupPolicy?: BackupPolicy;

    /** The file system's ID, known once every mount target exists. */
    public readonly fileSystemId: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: SharedFileSystemArgs, opts?: pulumi.ComponentResourceOptions) {
        parseOrThrow(sharedFileSystemArgsSchema, args, `SharedFileSystem "${name}"`, "args");
        super(componentType("SharedFileSystem"), name, args, withPreflight(withFormerTypeAlias("SharedFileSystem", opts)));
        const tags = args.tags;
        const protect = args.protectStatefulResources ?? false;
        const throughputMode = args.throughputMode ?? FILE_SYSTEM_DEFAULTS.throughputMode;

        this.securityGroup = new SecurityGroup(
            awsName("securityGroup", `${name}-efs`),
            { vpcId: args.vpcId, description: "EFS mount targets: NFS in from the tasks that mount the file system only", tags },
            { parent: this },
        );
        this.fileSystem = new FileSystem(
            name,
            {
                // A creation token makes a retried create return the same file system, never a second one.
                creationToken: `${pulumi.getProject()}-${pulumi.getStack()}-${name}`.slice(0, EFS_LIMITS.creationTokenMaxLength),
                encrypted: true,
                kmsKeyId: args.kmsKeyArn,
                throughputMode,
                lifecyclePolicies:
                    args.infrequentAccess ?? true
                        ? [{ transitionToIa: FILE_SYSTEM_DEFAULTS.transitionToIa }, { transitionToPrimaryStorageClass: FILE_SYSTEM_DEFAULTS.transitionToPrimaryStorageClass }]
                        : [],
                tags: { ...tags, Name: name },
            },
            { parent: this, protect, retainOnDelete: protect },
        );
        this.mountTargets = args.subnetIds.map(
            (subnetId, i) => new MountTarget(`${name}-${i + 1}`, { fileSystemId: this.fileSystem.id, subnetId, securityGroups: [this.securityGroup.id] }, { parent: this }),
        );
        this.policy = new FileSystemPolicy(
            name,
            { fileSystemId: this.fileSystem.id, policy: this.fileSystem.arn.apply((arn) => JSON.stringify(fileSystemPolicy(arn))) },
            { parent: this },
        );
        if (args.backup ?? FILE_SYSTEM_DEFAULTS.backup) {
            this.backupPolicy = new BackupPolicy(name, { fileSystemId: this.fileSystem.id, backupPolicy: { status: "ENABLED" } }, { parent: this });
        }

        // The ID carries the mount targets and the policy as dependencies: whatever reads it waits for them.
        this.fileSystemId = pulumi.all([this.fileSystem.id, this.policy.id, ...this.mountTargets.map((m) => m.id)]).apply(([id]) => id);
        this.arn = this.fileSystem.arn;
        this.securityGroupId = this.securityGroup.id;
        this.registerOutputs({ fileSystemId: this.fileSystemId, arn: this.arn, securityGroupId: this.securityGroupId });
    }
}

/** Every argument has its rule in the schema: adding one without it does not compile. */
const sharedFileSystemArgsChecked: EveryArgumentChecked<SharedFileSystemArgs, typeof sharedFileSystemArgsSchema.shape> = true;
