import * as assert from "node:assert/strict";
import { STATEFUL_TYPES } from "../analysis/controls/reliability";
import type { PlanDocument } from "../plan/plan";
import { projectRoot, stackDirectory } from "./planFixtures";

/**
 * A prod environment that builds its image (the one way prod creates an ECR repository: tags are
 * read from release repositories) and mounts a volume (the one way it creates an EFS file system).
 */
const PROD_BUILD = `aws:region: us-east-1
fargate-service:preset: prod
fargate-service:services:
  builder:
    image:
      build:
        context: examples/app
    volumes:
      - name: scratch
        containerPath: /data
    loadBalancer:
      enabled: false`;

let prod: PlanDocument;
let prodBuild: PlanDocument;
let dev: PlanDocument;
before(async function () {
    this.timeout(30000);
    const { planStack } = await import("../plan/plan");
    prod = await planStack(projectRoot, "prod");
    prodBuild = await planStack(stackDirectory("prod", PROD_BUILD), "prod");
    dev = await planStack(projectRoot, "dev");
});

describe("stateful resources", () => {
    it("protects and retains on delete every stateful resource of the prod plans", () => {
        const stateful = [...prod.resources, ...prodBuild.resources].filter((r) => STATEFUL_TYPES.includes(r.type));
        const unprotected = stateful.filter((r) => !(r.protect && r.retainOnDelete)).map((r) => `${r.type} ${r.name}`);
        assert.deepEqual(unprotected, []);
        // Every stateful type the program makes is in one of the prod plans, so each is checked above.
        assert.deepEqual([...new Set(stateful.map((r) => r.type))].sort(), [...STATEFUL_TYPES].sort());
        // Written out here, so that dropping a type from the code's list cannot pass unnoticed.
        assert.deepEqual([...STATEFUL_TYPES].sort(), ["aws:cloudwatch/logGroup:LogGroup", "aws:ecr/repository:Repository", "aws:efs/fileSystem:FileSystem", "aws:s3/bucket:Bucket", "aws:sqs/queue:Queue"]);
    });

    it("passes the stateful-protection control in prod and leaves it out in dev", () => {
        assert.equal(prod.controls.find((c) => c.id === "stateful-protection")?.status, "pass");
        assert.equal(dev.controls.find((c) => c.id === "stateful-protection")?.status, "not-applicable");
    });

    it("backs up prod's file system, and refuses to turn that off in prod", async () => {
        const backup = prodBuild.resources.filter((r) => r.type === "aws:efs/backupPolicy:BackupPolicy");
        assert.deepEqual(backup.map((r) => r.inputs.backupPolicy), [{ status: "ENABLED" }]);
        const { planStack } = await import("../plan/plan");
        await assert.rejects(planStack(stackDirectory("prod", `${PROD_BUILD}\nfargate-service:fileSystem:\n  backup: false`), "prod"), /fargate-service:fileSystem\.backup: cannot be false in prod/);
    });

    it("leaves dev's queues disposable", () => {
        const queues = dev.resources.filter((r) => r.type === "aws:sqs/queue:Queue");
        assert.ok(queues.length >= 2);
        assert.ok(queues.every((q) => !q.protect && !q.retainOnDelete));
    });
});
