import * as assert from "node:assert/strict";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { PlanDocument } from "../plan/plan";
import { stackDirectory } from "./planFixtures";

/**
 * Least privilege, proven with an IAM policy evaluator (AWS's evaluation logic, not string
 * matching): what the execution role of a planned service may and may not do.
 * @cloud-copilot/iam-simulate is AGPL-licensed: a dev dependency for this test only.
 */

const ACCOUNT = "123456789012";
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`;
const PARAMETER = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/api/key`;

const STACK = `aws:region: us-east-1
fargate-service:preset: dev
fargate-service:services:
  api:
    image:
      tag: "1.0.0"
    container:
      secrets:
        DB_PASSWORD: "${SECRET}:password::"
        API_KEY: ${PARAMETER}`;

let plan: PlanDocument;
let policy: object;
let repositoryArn: string;
let logGroupArn: string;

before(async () => {
    const { planStack } = await import("../plan/plan");
    plan = await planStack(stackDirectory("iam", STACK), "iam");
    policy = JSON.parse(plan.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "iam-api-execution")!.inputs.policy as string);
    // The placeholders the offline engine gave the repository and the log group.
    const containers = JSON.parse(plan.resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!.inputs.containerDefinitions as string);
    // registry/<repository path>@sha256:... (the release repository, by digest)
    const repository = containers[0].image.split("@")[0].split("/").slice(1).join("/");
    assert.equal(repository, "fargate-service/releases/api");
    repositoryArn = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${repository}`;
    logGroupArn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${containers[0].logConfiguration.options["awslogs-group"]}`;
});

async function decide(action: string, resource: string): Promise<string> {
    return decideFor("iam-api-execution", policy, action, resource);
}

/** AWS's decision for one request by `role`, whose only policy is `rolePolicy`. */
async function decideFor(role: string, rolePolicy: object, action: string, resource: string, contextVariables: Record<string, string> = {}): Promise<string> {
    const result = await runSimulation(
        {
            request: { principal: `arn:aws:iam::${ACCOUNT}:role/${role}`, action, resource: { resource, accountId: ACCOUNT }, contextVariables },
            identityPolicies: [{ name: role, policy: rolePolicy }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
        } as never,
        {},
    );
    if (result.resultType !== "single") throw new Error(`unexpected simulation result ${JSON.stringify(result).slice(0, 300)}`);
    return result.overallResult;
}

describe("execution role least privilege (IAM evaluation)", () => {
    it("may pull from its own repository, and not from another", async () => {
        assert.equal(await decide("ecr:BatchGetImage", repositoryArn), "Allowed");
        assert.equal(await decide("ecr:GetDownloadUrlForLayer", repositoryArn), "Allowed");
        assert.equal(await decide("ecr:BatchGetImage", `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/someone-else`), "ImplicitlyDenied");
        assert.equal(await decide("ecr:PutImage", repositoryArn), "ImplicitlyDenied", "it pulls, it never pushes");
    });

    it("may get an ECR token, the one action that needs every resource", async () => {
        assert.equal(await decide("ecr:GetAuthorizationToken", "*"), "Allowed");
    });

    it("may write to its own log group only", async () => {
        assert.equal(await decide("logs:PutLogEvents", `${logGroupArn}:log-stream:app/app/abc`), "Allowed");
        assert.equal(await decide("logs:PutLogEvents", `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/other/group:log-stream:x`), "ImplicitlyDenied");
        assert.equal(await decide("logs:DeleteLogGroup", logGroupArn), "ImplicitlyDenied");
    });

    it("may read the listed secret and parameter, and no other", async () => {
        assert.equal(await decide("secretsmanager:GetSecretValue", SECRET), "Allowed");
        assert.equal(await decide("ssm:GetParameters", PARAMETER), "Allowed");
        assert.equal(await decide("secretsmanager:GetSecretValue", `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:other-XyZ123`), "ImplicitlyDenied");
        assert.equal(await decide("ssm:GetParameters", `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/admin/password`), "ImplicitlyDenied");
    });

    it("may do nothing with S3 or IAM", async () => {
        for (const [action, resource] of [
            ["s3:GetObject", "arn:aws:s3:::any-bucket/key"],
            ["s3:PutObject", "arn:aws:s3:::any-bucket/key"],
            ["s3:ListBucket", "arn:aws:s3:::any-bucket"],
            ["s3:DeleteBucket", "arn:aws:s3:::any-bucket"],
            ["iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/admin`],
            ["iam:CreateUser", `arn:aws:iam::${ACCOUNT}:user/intruder`],
            ["iam:AttachRolePolicy", `arn:aws:iam::${ACCOUNT}:role/iam-api-execution`],
            ["iam:CreateAccessKey", `arn:aws:iam::${ACCOUNT}:user/admin`],
        ]) {
            assert.equal(await decide(action, resource), "ImplicitlyDenied", action);
        }
    });
});

const TASKS_STACK = `aws:region: us-east-1
fargate-service:preset: dev
fargate-service:scheduledTasks:
  nightly:
    image: { uri: "public.ecr.aws/docker/library/busybox:1.37" }
    schedule: cron(0 3 * * ? *)
fargate-service:eventTasks:
  on-upload:
    image: { uri: "public.ecr.aws/docker/library/busybox:1.37" }
    eventPattern: { source: ["aws.s3"] }`;

describe("the roles that start scheduled and event-driven tasks (IAM evaluation)", () => {
    let roles: { name: string; policy: object }[];
    let clusterName: string;

    before(async () => {
        const { planStack } = await import("../plan/plan");
        const tasks = await planStack(stackDirectory("runs", TASKS_STACK), "runs");
        roles = ["runs-nightly-scheduler", "runs-on-upload-events"].map((name) => {
            const found = tasks.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === name);
            assert.ok(found, `the plan has the role policy ${name}: ${tasks.resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy").map((r) => r.name)}`);
            return { name, policy: JSON.parse(found.inputs.policy as string) };
        });
        const cluster = tasks.resources.find((r) => r.type === "aws:ecs/cluster:Cluster")!;
        const runTask = (roles[0].policy as { Statement: { Sid: string; Condition: { ArnEquals: Record<string, string> } }[] }).Statement.find((s) => s.Sid === "RunTask")!;
        clusterName = runTask.Condition.ArnEquals["ecs:cluster"].split("/").pop()!;
        assert.ok(clusterName.startsWith(cluster.name), clusterName);
    });

    it("may tag the task it starts, as part of RunTask (ECS managed tags and propagated tags need it)", async () => {
        for (const { name, policy } of roles) {
            const task = `arn:aws:ecs:us-east-1:${ACCOUNT}:task/${clusterName}/0123456789abcdef0123456789abcdef`;
            assert.equal(await decideFor(name, policy, "ecs:TagResource", task, { "ecs:CreateAction": "RunTask" }), "Allowed", name);
        }
    });

    it("may not tag anything outside RunTask, nor the tasks of another cluster", async () => {
        for (const { name, policy } of roles) {
            const task = `arn:aws:ecs:us-east-1:${ACCOUNT}:task/${clusterName}/0123456789abcdef0123456789abcdef`;
            assert.equal(await decideFor(name, policy, "ecs:TagResource", task), "ImplicitlyDenied", `${name}: tagging an existing task`);
            assert.equal(await decideFor(name, policy, "ecs:TagResource", task, { "ecs:CreateAction": "CreateService" }), "ImplicitlyDenied", name);
            const other = `arn:aws:ecs:us-east-1:${ACCOUNT}:task/other-cluster/0123456789abcdef0123456789abcdef`;
            assert.equal(await decideFor(name, policy, "ecs:TagResource", other, { "ecs:CreateAction": "RunTask" }), "ImplicitlyDenied", name);
            const service = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/${clusterName}/api`;
            assert.equal(await decideFor(name, policy, "ecs:TagResource", service, { "ecs:CreateAction": "RunTask" }), "ImplicitlyDenied", name);
        }
    });
});
