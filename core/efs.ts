import type { AccountContext, PolicyStatement } from "./iamDocuments";

/**
 * EFS volumes as plain data: the defaults of a file system and of an access point, the task
 * definition's volume, the task role's grant and the file system policy. Components hand these to
 * AWS; the controls and tests read them back.
 */

/**
 * What a file system gets unless told otherwise. Elastic throughput bills per GB moved and needs
 * no sizing (https://docs.aws.amazon.com/efs/latest/ug/performance.html#elastic); files untouched
 * for 30 days move to Infrequent Access, about a tenth of Standard's storage price, and come back
 * on their first read (https://docs.aws.amazon.com/efs/latest/ug/lifecycle-management-efs.html).
 */
export const FILE_SYSTEM_DEFAULTS = {
    throughputMode: "elastic",
    transitionToIa: "AFTER_30_DAYS",
    transitionToPrimaryStorageClass: "AFTER_1_ACCESS",
    backup: true,
} as const;

/**
 * An access point's identity and directory when none is given: the non-root user 1000:1000 the
 * project's containers run as (examples/app, the stack files), owning a directory of its own that
 * its group may read.
 */
export const ACCESS_POINT_DEFAULTS = { uid: 1000, gid: 1000, permissions: "750" } as const;

/** The directory a volume's access point exposes when none is given: one per service and volume. */
export function defaultAccessPointPath(service: string, volume: string): string {
    return `/${service}/${volume}`;
}

/** `arn:<partition>:elasticfilesystem:<region>:<account>:file-system/<id>` (the form the access point reports as file_system_arn). */
export function fileSystemArn(fileSystemId: string, account: AccountContext): string {
    return `arn:${account.partition}:elasticfilesystem:${account.region}:${account.accountId}:file-system/${fileSystemId}`;
}

/** The EFS actions a client needs: mount always, write unless read-only. Never ClientRootAccess. */
export function clientActions(readOnly: boolean): string[] {
    return readOnly ? ["elasticfilesystem:ClientMount"] : ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"];
}

/**
 * The task role's grant for one volume: mount (and write) this file system through this access
 * point only (https://docs.aws.amazon.com/efs/latest/ug/access-points-iam-policy.html).
 */
export function efsClientStatement(fileSystemArnValue: string, accessPointArn: string, readOnly: boolean): PolicyStatement {
    return {
        Effect: "Allow",
        Action: clientActions(readOnly),
        Resource: [fileSystemArnValue],
        Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": accessPointArn } },
    };
}

export interface FileSystemPolicyStatement {
    Sid: string;
    Effect: "Deny";
    Principal: { AWS: "*" };
    Action: string | string[];
    Resource: string;
    Condition: Record<string, Record<string, string>>;
}

/**
 * The file system's own policy: no NFS client without TLS, and none but through an access point.
 * It only denies; the task roles' identity policies grant (same account). Once a file system has
 * a policy, EFS no longer lets every client that reaches a mount target in
 * (https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html). The conditions
 * apply to NFS clients (`AccessedViaMountTarget`), not to AWS Backup or the EFS API.
 */
export function fileSystemPolicy(fileSystemArnValue: string): { Version: "2012-10-17"; Statement: FileSystemPolicyStatement[] } {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyWithoutTls",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: "*",
                Resource: fileSystemArnValue,
                Condition: { Bool: { "aws:SecureTransport": "false", "elasticfilesystem:AccessedViaMountTarget": "true" } },
            },
            {
                Sid: "DenyWithoutAccessPoint",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"],
                Resource: fileSystemArnValue,
                Condition: { Null: { "elasticfilesystem:AccessPointArn": "true" } },
            },
        ],
    };
}

/**
 * A task definition volume on EFS: always through TLS and IAM, always through its access point.
 * The root directory is left out: with an access point ECS requires it omitted or "/"
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EFSVolumeConfiguration.html).
 */
export function efsVolume(name: string, fileSystemId: string, accessPointId: string, transitEncryptionPort?: number) {
    return {
        name,
        efsVolumeConfiguration: {
            fileSystemId,
            transitEncryption: "ENABLED" as const,
            ...(transitEncryptionPort !== undefined ? { transitEncryptionPort } : {}),
            authorizationConfig: { accessPointId, iam: "ENABLED" as const },
        },
    };
}
