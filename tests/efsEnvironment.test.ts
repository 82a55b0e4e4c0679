import * as assert from "node:assert/strict";
import type { PlanDocument } from "../plan/plan";
import { resolveEnvironment } from "../stacks/environment";
import { stackDirectory } from "./planFixtures";

/** EFS volumes from a stack file: the environment's file system, or one brought by ID. */

const DEV = `aws:region: us-east-1
fargate-service:preset: dev
fargate-service:network:
  taskSubnets: public
fargate-service:services:
  cms:
    image:
      uri: public.ecr.aws/nginx/nginx-unprivileged:1.27
    volumes:
      - name: uploads
        containerPath: /data/uploads
      - name: templates
        containerPath: /srv/templates
        readOnly: true`;

function refusal(config: Record<string, unknown>, stack = "dev"): string {
    try {
        resolveEnvironment(config, { project: "fargate-service", stack, source: `Pulumi.${stack}.yaml` });
    } catch (error) {
        assert.equal((error as Error).name, "ValidationError");
        return (error as Error).message;
    }
    assert.fail("expected a ValidationError");
}

const cms = (extra: Record<string, unknown> = {}) => ({ image: { uri: "nginx:1" }, volumes: [{ name: "uploads", containerPath: "/data" }], ...extra });

describe("EFS volumes in a stack file", () => {
    let plan: PlanDocument;
    const of = (p: PlanDocument, type: string) => p.resources.filter((r) => r.type === type);
    before(async () => {
        const { planStack } = await import("../plan/plan");
        plan = await planStack(stackDirectory("dev", DEV), "dev");
    });

    it("makes one file system for the environment, with a mount target in each task subnet, and an access point per volume", () => {
        assert.equal(of(plan, "aws:efs/fileSystem:FileSystem").length, 1);
        assert.equal(of(plan, "aws:efs/fileSystem:FileSystem")[0].inputs.encrypted, true);
        assert.equal(of(plan, "aws:efs/mountTarget:MountTarget").length, 2, "the dev preset's two Availability Zones");
        assert.deepEqual(of(plan, "aws:efs/accessPoint:AccessPoint").map((r) => r.name).sort(), ["dev-cms-templates", "dev-cms-uploads"]);
    });

    it("mounts each volume with TLS and IAM authorisation through its own access point, read-only where asked", () => {
        const task = plan.resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && r.name === "dev-cms")!;
        const volumes = (task.inputs.volumes as { name: string; efsVolumeConfiguration?: { transitEncryption: string; authorizationConfig: { iam: string; accessPointId: string } } }[]).filter((v) => v.efsVolumeConfiguration);
        assert.deepEqual(volumes.map((v) => [v.name, v.efsVolumeConfiguration!.transitEncryption, v.efsVolumeConfiguration!.authorizationConfig.iam]).sort(), [["templates", "ENABLED", "ENABLED"], ["uploads", "ENABLED", "ENABLED"]]);
        const [app] = JSON.parse(String(task.inputs.containerDefinitions)) as { mountPoints: { sourceVolume: string; containerPath: string; readOnly: boolean }[] }[];
        assert.deepEqual(app.mountPoints.filter((m) => ["uploads", "templates"].includes(m.sourceVolume)).map((m) => [m.sourceVolume, m.readOnly]).sort(), [["templates", true], ["uploads", false]]);
    });

    it("prices the file system's storage at the efsGbPerFileSystem assumption, and says elastic throughput is not priced", async () => {
        const line = plan.cost.lines.find((l) => l.priceKey === "efs.standardGbMonth");
        assert.ok(line, "an EFS storage line");
        assert.equal(line.quantity, 10);
        assert.ok(Math.abs(line.monthlyUsd - 3) < 1e-9);
        assert.ok(plan.cost.lines.some((l) => l.priceKey === "backup.efsWarmGbMonth"), "dev backs up too: the file system's default");
        assert.ok(plan.cost.notPriced.some((n) => n.item.startsWith("EFS elastic throughput")));
        const { planStack } = await import("../plan/plan");
        const bigger = await planStack(stackDirectory("dev", `${DEV}\nfargate-service:costAssumptions:\n  efsGbPerFileSystem: 100`), "dev");
        assert.ok(Math.abs(bigger.cost.lines.find((l) => l.priceKey === "efs.standardGbMonth")!.monthlyUsd - 30) < 1e-9);
    });

    it("leaves dev's file system disposable", () => {
        const fs = of(plan, "aws:efs/fileSystem:FileSystem")[0];
        assert.ok(!fs.protect && !fs.retainOnDelete);
    });

    it("mounts a file system brought by ID and makes none", async () => {
        const { planStack } = await import("../plan/plan");
        const brought = await planStack(stackDirectory("dev", `${DEV}\nfargate-service:fileSystem:\n  fileSystemId: fs-0123456789abcdef0\n  securityGroupId: sg-0123456789abcdef0`), "dev");
        assert.equal(of(brought, "aws:efs/fileSystem:FileSystem").length, 0);
        assert.ok(of(brought, "aws:efs/accessPoint:AccessPoint").every((r) => r.inputs.fileSystemId === "fs-0123456789abcdef0"));
    });

    it("refuses file system settings nothing uses, or that a brought file system cannot take, naming the key", () => {
        const base = { preset: "dev", network: { taskSubnets: "public" } };
        assert.match(refusal({ ...base, services: { api: { image: { uri: "nginx:1" } } }, fileSystem: { backup: true } }), /fargate-service:fileSystem: has no effect: no service has volumes/);
        assert.match(refusal({ ...base, services: { cms: cms() }, fileSystem: { fileSystemId: "fs-0123456789abcdef0", throughputMode: "bursting" } }), /fargate-service:fileSystem\.throughputMode: has no effect with fileSystemId/);
        assert.match(refusal({ ...base, services: { cms: cms() }, fileSystem: { securityGroupId: "sg-0123456789abcdef0" } }), /fargate-service:fileSystem\.securityGroupId: is the security group of a file system you bring/);
        assert.match(refusal({ ...base, services: { cms: cms() }, fileSystem: { fileSystemId: "fs-xyz" } }), /fargate-service:fileSystem\.fileSystemId: is not an EFS file system ID/);
    });

    it("refuses volumes where the mount targets' subnets are unknown or IPv6-only, naming the key", () => {
        assert.match(refusal({ preset: "dev", network: { mode: "default" }, services: { cms: cms() } }), /fargate-service:fileSystem: needs subnets this stack knows/);
        assert.match(refusal({ preset: "dev", network: { taskSubnets: "ipv6Only" }, services: { cms: cms({ image: { uri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/cms:1" } }) } }), /fargate-service:services\.cms\.volumes: cannot be mounted from IPv6-only task subnets/);
    });

    it("refuses a volume the file system cannot serve, at its key", () => {
        assert.match(refusal({ preset: "dev", network: { taskSubnets: "public" }, services: { cms: cms({ volumes: [{ name: "bad name", containerPath: "/data" }] }) } }), /fargate-service:services\.cms\.volumes\[0\]\.name: must be/);
        assert.match(refusal({ preset: "dev", network: { taskSubnets: "public" }, services: { cms: cms({ volumes: [{ name: "a", containerPath: "/data", fileSystemId: "fs-0123456789abcdef0" }] }) } }), /fargate-service:services\.cms\.volumes\[0\]\.fileSystemId: unknown key/);
    });
});
