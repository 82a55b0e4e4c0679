import * as assert from "node:assert/strict";
import { ecsServiceTrustPolicy, executeCommandStatement, invokeHooksPolicy, runTaskPolicy, tasksOfCluster, trafficShiftPolicy, withoutRevision } from "../core/iamDocuments";

/**
 * The IAM documents of core/iamDocuments.ts read whole: each statement is a grant (or a limit on
 * one) that a task, a schedule or a deployment needs and nothing more, so a changed action,
 * resource or condition is a changed permission.
 */

const CLUSTER = "arn:aws:ecs:eu-west-1:123456789012:cluster/prod";

describe("IAM documents: ECS Exec", () => {
    it("allows the four SSM message channels, on every resource as AWS requires for them", () => {
        assert.deepEqual(executeCommandStatement(), {
            Sid: "EcsExec",
            Effect: "Allow",
            Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
            Resource: ["*"],
        });
    });
});

describe("IAM documents: what EventBridge may do to start a task", () => {
    it("runs any revision of the families on this cluster, tags only the tasks it starts, and passes roles to ECS tasks only", () => {
        const doc = runTaskPolicy(["arn:aws:ecs:eu-west-1:123456789012:task-definition/job:12", "arn:aws:ecs:eu-west-1:123456789012:task-definition/job:13"], CLUSTER, ["arn:aws:iam::123456789012:role/task", "arn:aws:iam::123456789012:role/task"]);
        assert.deepEqual(doc, {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "RunTask",
                    Effect: "Allow",
                    Action: ["ecs:RunTask"],
                    Resource: ["arn:aws:ecs:eu-west-1:123456789012:task-definition/job:*"],
                    Condition: { ArnEquals: { "ecs:cluster": CLUSTER } },
                },
                {
                    Sid: "TagStartedTasks",
                    Effect: "Allow",
                    Action: ["ecs:TagResource"],
                    Resource: ["arn:aws:ecs:eu-west-1:123456789012:task/prod/*"],
                    Condition: { StringEquals: { "ecs:CreateAction": "RunTask" } },
                },
                {
                    Sid: "PassTaskRoles",
                    Effect: "Allow",
                    Action: ["iam:PassRole"],
                    Resource: ["arn:aws:iam::123456789012:role/task"],
                    Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
                },
            ],
        });
    });

    it("may send to dead-letter queues only when it has some", () => {
        const task = ["arn:aws:ecs:eu-west-1:123456789012:task-definition/job:1"];
        assert.equal(runTaskPolicy(task, CLUSTER, []).Statement.some((s) => s.Action.includes("sqs:SendMessage")), false);
        const dlq = "arn:aws:sqs:eu-west-1:123456789012:job-dlq";
        assert.deepEqual(runTaskPolicy(task, CLUSTER, [], [dlq, dlq]).Statement.at(-1), { Sid: "DeadLetter", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [dlq] });
    });

    it("drops a revision of any length from a task definition ARN, and nothing else", () => {
        assert.equal(withoutRevision("arn:aws:ecs:eu-west-1:123456789012:task-definition/job:123"), "arn:aws:ecs:eu-west-1:123456789012:task-definition/job");
        assert.equal(withoutRevision("arn:aws:ecs:eu-west-1:123456789012:task-definition/job"), "arn:aws:ecs:eu-west-1:123456789012:task-definition/job");
    });

    it("names the tasks of a cluster by the cluster's name", () => {
        assert.equal(tasksOfCluster(CLUSTER), "arn:aws:ecs:eu-west-1:123456789012:task/prod/*");
    });
});

describe("IAM documents: ECS's own roles for deployments", () => {
    it("lets only the ECS service principal assume them", () => {
        assert.deepEqual(ecsServiceTrustPolicy(), { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs.amazonaws.com" }, Action: ["sts:AssumeRole"] }] });
    });

    it("reads load balancing everywhere (no resource-level permission), and changes only these target groups and rules", () => {
        assert.deepEqual(trafficShiftPolicy(["tg-blue", "tg-green"], ["rule-prod"]), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ReadLoadBalancing",
                    Effect: "Allow",
                    Action: ["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"],
                    Resource: ["*"],
                },
                { Sid: "RegisterTasks", Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: ["tg-blue", "tg-green"] },
                { Sid: "ShiftTraffic", Effect: "Allow", Action: ["elasticloadbalancing:ModifyRule"], Resource: ["rule-prod"] },
            ],
        });
    });

    it("invokes only the given hook functions", () => {
        assert.deepEqual(invokeHooksPolicy(["fn-a"]), { Version: "2012-10-17", Statement: [{ Sid: "InvokeHooks", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: ["fn-a"] }] });
    });
});
