import * as assert from "node:assert/strict";
import type { ProgramRun } from "../plan/engine";
import type { FargateServiceArgs } from "../components";
import { TASK_TYPES as T, json, ofType, one, run, throwsProblems } from "./helpers";

let components: typeof import("../components");
before(async () => {
    components = await import("../components");
});

const EFS = {
    fileSystem: "aws:efs/fileSystem:FileSystem",
    mountTarget: "aws:efs/mountTarget:MountTarget",
    accessPoint: "aws:efs/accessPoint:AccessPoint",
    policy: "aws:efs/fileSystemPolicy:FileSystemPolicy",
    backup: "aws:efs/backupPolicy:BackupPolicy",
} as const;

const network = { vpcId: "vpc-0abc", subnetIds: ["subnet-private-a", "subnet-private-b"] };
const worker = (extra: Partial<FargateServiceArgs> = {}): FargateServiceArgs => ({
    ...network,
    image: { uri: "public.ecr.aws/docker/library/busybox:1.37" },
    loadBalancer: { enabled: false },
    ...extra,
});

function withFileSystem(volumes: (files: InstanceType<typeof components.SharedFileSystem>) => FargateServiceArgs["volumes"], extra: Partial<FargateServiceArgs> = {}, fsArgs: Record<string, unknown> = {}): Promise<ProgramRun> {
    return run(() => {
        const files = new components.SharedFileSystem("files", { vpcId: network.vpcId, subnetIds: network.subnetIds, ...fsArgs });
        new components.FargateService("cms", worker({ volumes: volumes(files), ...extra }));
        return {};
    });
}

describe("EFS volumes", () => {
    describe("a service mounting one volume of a shared file system", () => {
        let r: ProgramRun;
        before(async () => {
            r = await withFileSystem((files) => [{ name: "uploads", containerPath: "/data", fileSystemId: files.fileSystemId, securityGroupId: files.securityGroupId }]);
        });

        it("creates an encrypted, elastic file system with a mount target in each task subnet", () => {
            const fs = one(r, EFS.fileSystem);
            assert.equal(fs.inputs.encrypted, true);
            assert.equal(fs.inputs.throughputMode, "elastic");
            assert.deepEqual(fs.inputs.lifecyclePolicies, [{ transitionToIa: "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }]);
            assert.deepEqual(ofType(r, EFS.mountTarget).map((m) => m.inputs.subnetId), network.subnetIds);
        });

        it("turns automatic backups on unless told otherwise", () => {
            assert.deepEqual(one(r, EFS.backup).inputs.backupPolicy, { status: "ENABLED" });
        });

        it("gives the file system a policy that refuses clients without TLS or without an access point", () => {
            const policy = json(one(r, EFS.policy).inputs.policy);
            const [tls, accessPoint] = policy.Statement;
            assert.equal(tls.Effect, "Deny");
            assert.deepEqual(tls.Condition.Bool["aws:SecureTransport"], "false");
            assert.equal(accessPoint.Effect, "Deny");
            assert.deepEqual(accessPoint.Condition.Null, { "elasticfilesystem:AccessPointArn": "true" });
            assert.ok(accessPoint.Action.includes("elasticfilesystem:ClientMount"));
        });

        it("mounts through an access point owned by user and group 1000 in a directory of the service's own", () => {
            const ap = one(r, EFS.accessPoint);
            assert.deepEqual(ap.inputs.posixUser, { uid: 1000, gid: 1000 });
            assert.deepEqual(ap.inputs.rootDirectory, { path: "/cms/uploads", creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: "750" } });
        });

        it("declares the volume with transit encryption and IAM authorisation through the access point", () => {
            const td = one(r, T.taskDefinition);
            const volume = td.inputs.volumes.find((v: any) => v.name === "uploads");
            assert.equal(volume.efsVolumeConfiguration.transitEncryption, "ENABLED");
            assert.equal(volume.efsVolumeConfiguration.authorizationConfig.iam, "ENABLED");
            assert.ok(volume.efsVolumeConfiguration.authorizationConfig.accessPointId);
            assert.equal(volume.efsVolumeConfiguration.rootDirectory, undefined, "ECS wants no root directory beside an access point");
            assert.deepEqual(td.inputs.volumes.map((v: any) => v.name).sort(), ["tmp", "uploads"], "the writable /tmp keeps its own empty volume");
            const app = json(td.inputs.containerDefinitions)[0];
            assert.deepEqual(app.mountPoints.find((m: any) => m.sourceVolume === "uploads"), { sourceVolume: "uploads", containerPath: "/data", readOnly: false });
        });

        it("grants the task role mount and write on the file system through its access point only", () => {
            const policy = json(one(r, T.rolePolicy, "cms-task").inputs.policy);
            const statement = policy.Statement.find((s: any) => s.Action.includes("elasticfilesystem:ClientMount"));
            assert.deepEqual(statement.Action, ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]);
            assert.match(statement.Resource[0], /^arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system\//);
            assert.ok(statement.Condition.StringEquals["elasticfilesystem:AccessPointArn"]);
        });

        it("admits NFS on the mount targets' group from this service's tasks only, before the service starts", () => {
            const rule = ofType(r, T.ingress).find((x) => x.inputs.fromPort === 2049)!;
            assert.equal(rule.inputs.toPort, 2049);
            const tasks = ofType(r, T.securityGroup).find((g) => g.name.startsWith("cms-tasks"))!;
            assert.deepEqual(rule.propertyDependencies.referencedSecurityGroupId, [tasks.urn]);
            assert.ok(one(r, T.service).dependencies.includes(rule.urn));
        });

        it("makes the access point wait for the mount targets, so the first tasks find one", () => {
            const ap = one(r, EFS.accessPoint);
            for (const mt of ofType(r, EFS.mountTarget)) assert.ok(ap.propertyDependencies.fileSystemId.includes(mt.urn), mt.name);
        });
    });

    it("grants mount but not write for a read-only volume", async () => {
        const r = await withFileSystem((files) => [{ name: "assets", containerPath: "/assets", readOnly: true, fileSystemId: files.fileSystemId }]);
        const statement = json(one(r, T.rolePolicy, "cms-task").inputs.policy).Statement.find((s: any) => s.Action.includes("elasticfilesystem:ClientMount"));
        assert.deepEqual(statement.Action, ["elasticfilesystem:ClientMount"]);
        assert.equal(json(one(r, T.taskDefinition).inputs.containerDefinitions)[0].mountPoints.find((m: any) => m.sourceVolume === "assets").readOnly, true);
    });

    it("opens NFS out of the tasks when their egress is limited to HTTPS", async () => {
        const r = await withFileSystem((files) => [{ name: "data", containerPath: "/data", fileSystemId: files.fileSystemId, securityGroupId: files.securityGroupId }], { outboundTraffic: "https" });
        assert.ok(ofType(r, T.egress).some((e) => e.inputs.fromPort === 2049 && e.inputs.toPort === 2049));
    });

    it("protects and retains the file system when asked, and leaves backups off when told", async () => {
        const r = await withFileSystem((files) => [{ name: "data", containerPath: "/data", fileSystemId: files.fileSystemId }], {}, { protectStatefulResources: true, backup: false });
        const fs = one(r, EFS.fileSystem);
        assert.equal(fs.options.protect, true);
        assert.equal(fs.options.retainOnDelete, true);
        assert.equal(ofType(r, EFS.backup).length, 0);
    });

    describe("arguments refused before anything is created", () => {
        const volume = { name: "data", containerPath: "/data", fileSystemId: "fs-0123456789abcdef0" };
        const refuse = (volumes: unknown[], extra: Partial<FargateServiceArgs> = {}, ...fragments: string[]) =>
            throwsProblems(() => new components.FargateService("bad", worker({ volumes: volumes as FargateServiceArgs["volumes"], ...extra })), ...fragments);

        it("names a file system ID that is not fs- and hexadecimal digits", () => refuse([{ ...volume, fileSystemId: "fs-XYZ" }], {}, "args.volumes[0].fileSystemId", "fs-XYZ"));
        it("names an access point path EFS would refuse", () => refuse([{ ...volume, accessPoint: { path: "relative/dir" } }], {}, "args.volumes[0].accessPoint.path", "absolute"));
        it("names permissions that are not octal", () => refuse([{ ...volume, accessPoint: { permissions: "0789" } }], {}, "args.volumes[0].accessPoint.permissions", "octal"));
        it("names a user ID beyond 2^32 - 1", () => refuse([{ ...volume, accessPoint: { uid: 4294967296 } }], {}, "args.volumes[0].accessPoint.uid"));
        it("names a transit encryption port outside 1–65535", () => refuse([{ ...volume, transitEncryptionPort: 0 }], {}, "args.volumes[0].transitEncryptionPort"));
        it("names two volumes of one name", () => refuse([volume, { ...volume, containerPath: "/other" }], {}, "args.volumes[1].name", "used by another volume"));
        it("names a volume mounted on a writable path", () => refuse([{ ...volume, containerPath: "/tmp" }], {}, "args.volumes[0].containerPath", "writablePaths"));
        it("names a volume named like a writable path's volume", () => refuse([{ ...volume, name: "tmp" }], {}, "args.volumes[0].name", "writable path /tmp"));
        it("names volumes on IPv6-only tasks", () => refuse([volume], { ipStack: "ipv6" }, "args.volumes", "IPv6"));
        it("names a file system with no subnet for a mount target", () =>
            throwsProblems(() => new components.SharedFileSystem("files", { vpcId: "vpc-1", subnetIds: [] }), "args.subnetIds", "mount target"));
    });
});
