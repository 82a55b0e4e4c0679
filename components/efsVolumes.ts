import * as pulumi from "@pulumi/pulumi";
import { AccessPoint } from "@pulumi/aws/efs/accessPoint";
import { SecurityGroupEgressRule } from "@pulumi/aws/vpc/securityGroupEgressRule";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc/securityGroupIngressRule";
import { EFS_LIMITS } from "../core/aws/efsRules";
import { ACCESS_POINT_DEFAULTS, defaultAccessPointPath, efsClientStatement, efsVolume, fileSystemArn } from "../core/efs";
import type { AccountContext, PolicyStatement } from "../core/iamDocuments";

/** Who a volume's files belong to, and which directory of the file system it exposes. */
export interface AccessPointArgs {
    /**
     * The directory of the file system the volume exposes, created on first mount if missing.
     * Absolute, at most 100 characters and four directories deep; two services that name the same
     * path share its files.
     * @default "/<service>/<volume name>"
     * @example
     * ```ts
     * path: "/shared/uploads"
     * ```
     */
    path?: string;
    /**
     * The POSIX user every file operation runs as, whatever the container's user; also the new
     * directory's owner.
     * @default 1000 (the non-root user the project's images run as)
     * @example
     * ```ts
     * uid: 101
     * ```
     */
    uid?: number;
    /**
     * The POSIX group every file operation runs as; also the new directory's group.
     * @default 1000
     * @example
     * ```ts
     * gid: 101
     * ```
     */
    gid?: number;
    /**
     * The permissions of the directory when EFS creates it, in octal.
     * @default "750"
     * @example
     * ```ts
     * permissions: "770"
     * ```
     */
    permissions?: string;
}

/** An EFS volume mounted in the main container, through an access point of its own. */
export interface EfsVolumeArgs {
    /**
     * The task definition's name for the volume: letters, digits, - and _.
     * @example
     * ```ts
     * name: "uploads"
     * ```
     */
    name: string;
    /**
     * Where the main container sees the volume.
     * @example
     * ```ts
     * containerPath: "/var/lib/app/uploads"
     * ```
     */
    containerPath: string;
    /**
     * Mount read-only: the task role is granted mount but not write.
     * @default false
     * @example
     * ```ts
     * readOnly: true
     * ```
     */
    readOnly?: boolean;
    /**
     * The file system: a `SharedFileSystem`'s `fileSystemId`, or the ID of one you manage (`fs-…`).
     * @example
     * ```ts
     * fileSystemId: files.fileSystemId
     * ```
     */
    fileSystemId: pulumi.Input<string>;
    /**
     * The security group of the file system's mount targets: the service adds a rule admitting
     * NFS (2049) from its tasks. Leave it out when you manage that group's rules yourself.
     * @default no rule added
     * @example
     * ```ts
     * securityGroupId: files.securityGroupId
     * ```
     */
    securityGroupId?: pulumi.Input<string>;
    /**
     * The access point's identity and directory.
     * @default user and group 1000, directory "/<service>/<volume name>" created with "750"
     * @example
     * ```ts
     * accessPoint: { path: "/shared/uploads", uid: 1000, gid: 1000, permissions: "770" }
     * ```
     */
    accessPoint?: AccessPointArgs;
    /**
     * The port the EFS mount helper sends TLS through between the task and EFS.
     * @default chosen by the mount helper
     * @example
     * ```ts
     * transitEncryptionPort: 2999
     * ```
     */
    transitEncryptionPort?: number;
}

/** A service's EFS volumes, made: access points, the task definition's volumes and mount points, the task role's grants. */
export interface EfsVolumes {
    accessPoints: AccessPoint[];
    /** The task definition's `volumes` entries. */
    volumes: pulumi.Output<ReturnType<typeof efsVolume>[]>;
    /** The main container's mount points. */
    mountPoints: { sourceVolume: string; containerPath: string; readOnly: boolean }[];
    /** The task role's statements: each volume's file system, through its access point only. */
    statements: pulumi.Output<PolicyStatement[]>;
}

/** One access point per volume, and what the task definition and the task role need of them. */
export function createEfsVolumes(
    name: string,
    volumes: EfsVolumeArgs[],
    account: pulumi.Output<AccountContext>,
    parent: pulumi.Resource,
    tags: Record<string, string> | undefined,
): EfsVolumes {
    const accessPoints = volumes.map((v) => {
        const ap = { ...ACCESS_POINT_DEFAULTS, path: defaultAccessPointPath(name, v.name), ...v.accessPoint };
        return new AccessPoint(
            `${name}-${v.name}`,
            {
                fileSystemId: v.fileSystemId,
                posixUser: { uid: ap.uid, gid: ap.gid },
                rootDirectory: { path: ap.path, creationInfo: { ownerUid: ap.uid, ownerGid: ap.gid, permissions: ap.permissions } },
                tags: { ...tags, Name: `${name}-${v.name}` },
            },
            { parent },
        );
    });
    const resolved = pulumi.all(volumes.map((v, i) => pulumi.all([pulumi.output(v.fileSystemId), accessPoints[i].id, accessPoints[i].arn])));
    return {
        accessPoints,
        volumes: resolved.apply((list) => list.map(([fsId, apId], i) => efsVolume(volumes[i].name, fsId, apId, volumes[i].transitEncryptionPort))),
        mountPoints: volumes.map((v) => ({ sourceVolume: v.name, containerPath: v.containerPath, readOnly: v.readOnly ?? false })),
        statements: pulumi.all([resolved, account]).apply(([list, acct]) => list.map(([fsId, , apArn], i) => efsClientStatement(fileSystemArn(fsId, acct), apArn, volumes[i].readOnly ?? false))),
    };
}

/**
 * NFS between the tasks and each file system's mount targets: in on the file system's group from
 * the tasks' group, and, where the tasks' egress is limited (outboundTraffic "https"), out to it.
 * One rule per distinct group given.
 */
export function connectFileSystems(
    name: string,
    volumes: EfsVolumeArgs[],
    taskSecurityGroupId: pulumi.Input<string>,
    restrictedEgress: boolean,
    parent: pulumi.Resource,
    tags: Record<string, string> | undefined,
): (SecurityGroupIngressRule | SecurityGroupEgressRule)[] {
    const groups: pulumi.Input<string>[] = [];
    for (const v of volumes) if (v.securityGroupId !== undefined && !groups.includes(v.securityGroupId)) groups.push(v.securityGroupId);
    const port = { ipProtocol: "tcp", fromPort: EFS_LIMITS.nfsPort, toPort: EFS_LIMITS.nfsPort };
    return groups.flatMap((group, i) => {
        const suffix = groups.length === 1 ? "" : `-${i + 1}`;
        const rules: (SecurityGroupIngressRule | SecurityGroupEgressRule)[] = [
            new SecurityGroupIngressRule(`${name}-nfs-in${suffix}`, { securityGroupId: group, referencedSecurityGroupId: taskSecurityGroupId, description: "NFS from the tasks of one service", ...port, tags }, { parent }),
        ];
        if (restrictedEgress) {
            rules.push(new SecurityGroupEgressRule(`${name}-nfs-out${suffix}`, { securityGroupId: taskSecurityGroupId, referencedSecurityGroupId: group, description: "NFS to the EFS mount targets", ...port, tags }, { parent }));
        }
        return rules;
    });
}
