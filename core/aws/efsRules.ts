/**
 * What Amazon EFS and ECS accept for EFS volumes: the rules a stack file, a component's arguments
 * and the preflight (core/preflight/efs.ts) all judge by, written once. The mock engine accepts
 * anything; AWS answers a bad value with an error halfway through a deploy.
 */

const EFS_API = "https://docs.aws.amazon.com/efs/latest/ug";
const ECS_API = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference";

export const EFS_SOURCES = {
    rootDirectory: `${EFS_API}/API_RootDirectory.html`,
    creationInfo: `${EFS_API}/API_CreationInfo.html`,
    posixUser: `${EFS_API}/API_PosixUser.html`,
    createFileSystem: `${EFS_API}/API_CreateFileSystem.html`,
    createAccessPoint: `${EFS_API}/API_CreateAccessPoint.html`,
    accessPointQuota: `${EFS_API}/create-access-point.html`,
    volumeConfiguration: `${ECS_API}/API_EFSVolumeConfiguration.html`,
    volume: `${ECS_API}/API_Volume.html`,
    fargatePlatform: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html",
    terraformAccessPoint: "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/efs/access_point.go",
    terraformFileSystem: "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/efs/file_system.go",
    terraformTaskDefinition: "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/ecs/task_definition.go",
} as const;

export const EFS_LIMITS = {
    /** RootDirectory.Path: 1–100 characters, up to four directories below `/` (API_RootDirectory). */
    pathMaxLength: 100,
    pathMaxDepth: 4,
    /** OwnerUid, OwnerGid, Uid, Gid: 0 to 2^32 - 1 (API_CreationInfo, API_PosixUser). */
    posixIdMax: 4294967295,
    /** CreateFileSystem's CreationToken: 1–64 characters (API_CreateFileSystem; Terraform validates 0–64 and fills in a unique one). */
    creationTokenMaxLength: 64,
    /**
     * Access points per file system. EFS's user guide (create-access-point.html, read 2026-11-23)
     * says 10,000 unless raised; older pages and the CreateAccessPoint reference say 1,000. The
     * smaller figure is the one an account is sure to have.
     */
    accessPointsPerFileSystem: 1000,
    /** Task definition volume names: up to 255 letters, digits, hyphens and underscores (API_Volume). */
    volumeNameMaxLength: 255,
    /** transitEncryptionPort: a TCP port; Terraform validates it with IsPortNumber (1–65535). */
    portMin: 1,
    portMax: 65535,
    /** NFS, the only port a mount target needs open. */
    nfsPort: 2049,
} as const;

/** A directory name: no leading dot, none of the characters EFS refuses (API_RootDirectory's pattern). */
const PATH_SEGMENT = /^(?!\.)[^$#<>;`|&?{}^*/\n]+$/;
const REFUSED = /[$#<>;`|&?{}^*\n]/g;

/** Why EFS would refuse `path` as an access point's root directory, or undefined. */
export function accessPointPathProblem(path: string): string | undefined {
    if (!path.startsWith("/")) return `${JSON.stringify(path)} is not absolute: start it with /`;
    if (path.length > EFS_LIMITS.pathMaxLength) return `has ${path.length} characters; EFS allows ${EFS_LIMITS.pathMaxLength}`;
    if (path === "/") return undefined;
    const segments = path.slice(1).split("/");
    const refused = [...new Set(path.match(REFUSED) ?? [])];
    if (refused.length > 0) return `${JSON.stringify(path)} has characters EFS refuses (${refused.map((c) => JSON.stringify(c)).join(" ")}); not allowed: $ # < > ; \` | & ? { } ^ * and line breaks`;
    if (segments.some((s) => s.length === 0)) return `${JSON.stringify(path)} has an empty directory name (a doubled or trailing /)`;
    if (segments.some((s) => !PATH_SEGMENT.test(s))) return `${JSON.stringify(path)} has a directory name starting with "."`;
    if (segments.length > EFS_LIMITS.pathMaxDepth) return `${JSON.stringify(path)} is ${segments.length} directories deep; EFS allows ${EFS_LIMITS.pathMaxDepth}`;
    return undefined;
}

/** POSIX permissions as EFS takes them: 3 or 4 octal digits (API_CreationInfo, `^[0-7]{3,4}$`). */
export const PERMISSIONS = /^[0-7]{3,4}$/;

/** A file system ID: `fs-` and hexadecimal digits (the ID form EFS returns; API_FileSystemDescription). */
export const FILE_SYSTEM_ID = /^fs-[0-9a-f]{8,40}$/;

/** Task definition volume names (API_Volume). */
export const VOLUME_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** Whether a platform version runs EFS volumes on Fargate: LATEST, or 1.4.0 and later (efs-volumes.html). */
export function platformRunsEfs(version: string | undefined): boolean {
    if (version === undefined || version === "LATEST") return true;
    const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
    if (!m) return false;
    const [major, minor] = [Number(m[1]), Number(m[2])];
    return major > 1 || (major === 1 && minor >= 4);
}
