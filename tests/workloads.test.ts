import * as assert from "node:assert/strict";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { dashboardBody } from "../core/dashboardBody";
import { runsPerMonth } from "../core/scheduleExpressions";
import type { ProgramRun } from "../plan/engine";
import { json, ofType, one, run, throwsProblems } from "./helpers";

let components: {
    queue: typeof import("../components/queueWorker");
    scheduled: typeof import("../components/scheduledTask");
    event: typeof import("../components/eventTask");
    alarms: typeof import("../components/serviceAlarms");
    alerts: typeof import("../components/environmentAlerts");
};
before(async () => {
    components = {
        queue: await import("../components/queueWorker"),
        scheduled: await import("../components/scheduledTask"),
        event: await import("../components/eventTask"),
        alarms: await import("../components/serviceAlarms"),
        alerts: await import("../components/environmentAlerts"),
    };
});

const ACCOUNT = "123456789012";
const placement = { vpcId: "vpc-0abc", subnetIds: ["subnet-a", "subnet-b"] };
const cluster = { arn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/shared`, name: "shared" };
const busybox = { uri: "public.ecr.aws/docker/library/busybox:1.37" };

const T = {
    queue: "aws:sqs/queue:Queue",
    service: "aws:ecs/service:Service",
    policy: "aws:appautoscaling/policy:Policy",
    target: "aws:appautoscaling/target:Target",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    role: "aws:iam/role:Role",
    schedule: "aws:scheduler/schedule:Schedule",
    rule: "aws:cloudwatch/eventRule:EventRule",
    eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
} as const;

async function allowed(policy: object, action: string, resource: string, context: Record<string, string> = {}): Promise<boolean> {
    const result = await runSimulation(
        {
            request: { principal: `arn:aws:iam::${ACCOUNT}:role/runner`, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
            identityPolicies: [{ name: "p", policy }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
        } as never,
        {},
    );
    return (result as { overallResult?: string }).overallResult === "Allowed";
}

describe("queue worker", () => {
    let r: ProgramRun;
    before(async () => {
        r = await run(() => {
            new components.queue.QueueWorker("jobs", { ...placement, cluster, image: busybox, queue: { visibilityTimeout: 900, maxReceiveCount: 3 }, scaling: { min: 0, max: 20, backlogPerTask: 50 } });
        });
    });

    it("creates an encrypted, long-polled queue that moves failing messages to a dead-letter queue", () => {
        const queue = one(r, T.queue, "jobs");
        const dlq = one(r, T.queue, "jobs-dlq");
        assert.equal(queue.inputs.visibilityTimeoutSeconds, 900);
        assert.equal(queue.inputs.receiveWaitTimeSeconds, 20);
        assert.equal(queue.inputs.sqsManagedSseEnabled, true);
        assert.deepEqual(json(queue.inputs.redrivePolicy), { deadLetterTargetArn: dlq.outputs.arn, maxReceiveCount: 3 });
    });

    it("lets the task consume that queue only, and tells it where the queue is", () => {
        const queue = one(r, T.queue, "jobs");
        const statement = json(one(r, T.rolePolicy, "jobs-task").inputs.policy).Statement;
        assert.deepEqual(statement, [
            { Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], Resource: [queue.outputs.arn] },
        ]);
        const env = json(one(r, T.taskDefinition).inputs.containerDefinitions)[0].environment;
        assert.deepEqual(env, [{ name: "QUEUE_URL", value: queue.outputs.url }]);
    });

    it("runs without a load balancer or any inbound rule, and leaves the count to its scaler", () => {
        const service = one(r, T.service);
        assert.equal(service.inputs.loadBalancers, undefined);
        assert.equal(ofType(r, T.ingress).length, 0);
        assert.deepEqual(service.options.ignoreChanges, ["desiredCount"]);
        assert.equal(service.inputs.desiredCount, 0, "starts at the minimum");
    });

    it("scales on backlog per task: visible messages divided by running tasks", () => {
        assert.deepEqual([one(r, T.target).inputs.minCapacity, one(r, T.target).inputs.maxCapacity], [0, 20]);
        const config = one(r, T.policy, "jobs-backlog").inputs.targetTrackingScalingPolicyConfiguration;
        assert.equal(config.targetValue, 50);
        const [visible, running, backlog] = config.customizedMetricSpecification.metrics;
        assert.equal(visible.metricStat.metric.metricName, "ApproximateNumberOfMessagesVisible");
        assert.deepEqual(visible.metricStat.metric.dimensions, [{ name: "QueueName", value: one(r, T.queue, "jobs").outputs.name }]);
        assert.deepEqual([running.metricStat.metric.namespace, running.metricStat.metric.metricName], ["ECS/ContainerInsights", "RunningTaskCount"]);
        assert.deepEqual([backlog.expression, backlog.returnData], ["visible / running", true]);
    });

    it("wakes from zero tasks when messages wait, since backlog per task has no value at zero", () => {
        const wake = one(r, T.alarm, "jobs-wake").inputs;
        assert.equal(wake.metricQueries[2].expression, "IF(visible > 0 AND FILL(running, 0) == 0, 1, 0)");
        assert.deepEqual(wake.alarmActions, [one(r, T.policy, "jobs-wake").outputs.arn]);
        const step = one(r, T.policy, "jobs-wake").inputs.stepScalingPolicyConfiguration;
        assert.deepEqual([step.adjustmentType, step.stepAdjustments[0].scalingAdjustment], ["ChangeInCapacity", 1]);
    });

    it("scales on queue depth alone when asked: all tasks while messages wait, the minimum once idle", async () => {
        const depth = await run(() => {
            new components.queue.QueueWorker("jobs", { ...placement, cluster, image: busybox, scaling: { min: 0, max: 2, policy: "queueDepth", idleMinutes: 10 } });
        });
        const up = one(depth, T.policy, "jobs-up").inputs.stepScalingPolicyConfiguration;
        const down = one(depth, T.policy, "jobs-down").inputs.stepScalingPolicyConfiguration;
        assert.deepEqual([up.adjustmentType, up.stepAdjustments[0].scalingAdjustment], ["ExactCapacity", 2]);
        assert.deepEqual([down.adjustmentType, down.stepAdjustments[0].scalingAdjustment], ["ExactCapacity", 0]);
        const idle = one(depth, T.alarm, "jobs-idle").inputs;
        assert.deepEqual([idle.evaluationPeriods, idle.treatMissingData, idle.comparisonOperator], [10, "breaching", "LessThanOrEqualToThreshold"]);
        assert.equal(ofType(depth, T.policy).filter((p) => p.inputs.policyType === "TargetTrackingScaling").length, 0);
    });

    it("consumes an existing queue without creating one", async () => {
        const arn = `arn:aws:sqs:eu-west-1:${ACCOUNT}:orders`;
        const existing = await run(() => {
            new components.queue.QueueWorker("orders", { ...placement, cluster, image: busybox, queue: { arn } });
        });
        assert.equal(ofType(existing, T.queue).length, 0);
        assert.deepEqual(json(one(existing, T.rolePolicy, "orders-task").inputs.policy).Statement[0].Resource, [arn]);
        const env = json(one(existing, T.taskDefinition).inputs.containerDefinitions)[0].environment;
        assert.deepEqual(env, [{ name: "QUEUE_URL", value: `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/orders` }]);
    });

    it("rejects a minimum above the maximum, and settings an existing queue would ignore", () => {
        throwsProblems(() => new components.queue.QueueWorker("bad", { ...placement, image: busybox, scaling: { min: 5, max: 2 } }), 'QueueWorker "bad": args.scaling.min: 5 is above scaling.max (2)');
        throwsProblems(
            () => new components.queue.QueueWorker("bad", { ...placement, image: busybox, queue: { arn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:q`, retentionDays: 7 } }),
            "args.queue.retentionDays: has no effect on an existing queue",
        );
        throwsProblems(() => new components.queue.QueueWorker("bad", { ...placement, image: busybox, queue: { arn: "arn:aws:sns:eu-west-1:123456789012:t" } }), "is not an SQS queue ARN");
    });
});

describe("scheduled task", () => {
    let r: ProgramRun;
    before(async () => {
        r = await run(() => {
            new components.scheduled.ScheduledTask("report", {
                ...placement,
                clusterArn: cluster.arn,
                image: busybox,
                schedule: "cron(0 3 * * ? *)",
                timezone: "Europe/Paris",
                capacity: { fargateBase: 0, fargateWeight: 0, spotWeight: 1 },
                retry: { maximumAttempts: 4 },
            });
        });
    });

    it("runs the task on the schedule, on the cluster, with its capacity strategy, retries and dead letters", () => {
        const s = one(r, T.schedule).inputs;
        assert.deepEqual([s.scheduleExpression, s.scheduleExpressionTimezone, s.state, s.flexibleTimeWindow.mode], ["cron(0 3 * * ? *)", "Europe/Paris", "ENABLED", "OFF"]);
        assert.equal(s.target.arn, cluster.arn);
        assert.equal(s.target.ecsParameters.taskDefinitionArn, one(r, T.taskDefinition).outputs.arn);
        assert.deepEqual(s.target.ecsParameters.capacityProviderStrategies, [{ capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 }]);
        assert.deepEqual(s.target.ecsParameters.networkConfiguration, { subnets: placement.subnetIds, securityGroups: [ofType(r, "aws:ec2/securityGroup:SecurityGroup")[0].outputs.id], assignPublicIp: false });
        assert.equal(s.target.retryPolicy.maximumRetryAttempts, 4);
        assert.equal(s.target.deadLetterConfig.arn, one(r, T.queue).outputs.arn);
    });

    it("runs on-demand unless told otherwise", async () => {
        const plain = await run(() => {
            new components.scheduled.ScheduledTask("report", { ...placement, clusterArn: cluster.arn, image: busybox, schedule: "rate(1 hour)" });
        });
        assert.deepEqual(one(plain, T.schedule).inputs.target.ecsParameters.capacityProviderStrategies, [{ capacityProvider: "FARGATE", base: 0, weight: 1 }]);
    });

    it("lets the scheduler run only this task definition, on this cluster, and pass only its two roles", async () => {
        const trust = json(one(r, T.role, "report-scheduler").inputs.assumeRolePolicy).Statement[0];
        assert.deepEqual(trust.Principal, { Service: "scheduler.amazonaws.com" });
        assert.deepEqual(trust.Condition.StringEquals, { "aws:SourceAccount": ACCOUNT });
        const policy = json(one(r, T.rolePolicy, "report-scheduler").inputs.policy);
        const family = one(r, T.taskDefinition).outputs.arnWithoutRevision as string;
        const onCluster = { "ecs:cluster": cluster.arn };
        assert.ok(await allowed(policy, "ecs:RunTask", `${family}:7`, onCluster), "any revision of its family");
        assert.ok(!(await allowed(policy, "ecs:RunTask", `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/other:1`, onCluster)), "not another family");
        assert.ok(!(await allowed(policy, "ecs:RunTask", `${family}:7`, { "ecs:cluster": `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/other` })), "not on another cluster");
        const [execution, task] = ["report-execution", "report-task"].map((n) => one(r, T.role, n).outputs.arn as string);
        const passing = { "iam:PassedToService": "ecs-tasks.amazonaws.com" };
        assert.ok(await allowed(policy, "iam:PassRole", execution, passing));
        assert.ok(await allowed(policy, "iam:PassRole", task, passing));
        assert.ok(!(await allowed(policy, "iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/admin`, passing)), "no other role");
        assert.ok(await allowed(policy, "sqs:SendMessage", one(r, T.queue).outputs.arn as string), "its dead-letter queue");
    });

    it("refuses a schedule that does not parse, before creating anything", () => {
        throwsProblems(
            () => new components.scheduled.ScheduledTask("bad", { ...placement, clusterArn: cluster.arn, image: busybox, schedule: "cron(0 3 * * *)" }),
            'ScheduledTask "bad": args.schedule: cron(0 3 * * *) has 5 fields; AWS cron has 6',
        );
        throwsProblems(() => new components.scheduled.ScheduledTask("bad", { ...placement, clusterArn: cluster.arn, image: busybox, schedule: "rate(1 minutes)" }), 'write "1 minute" (singular for 1)');
    });
});

describe("event-driven task", () => {
    let r: ProgramRun;
    const pattern = { source: ["aws.s3"], "detail-type": ["Object Created"], detail: { bucket: { name: ["uploads"] } } };
    before(async () => {
        r = await run(() => {
            new components.event.EventTask("thumbnail", {
                ...placement,
                clusterArn: cluster.arn,
                image: busybox,
                eventPattern: JSON.stringify(pattern),
                environmentFromEvent: { BUCKET: "$.detail.bucket.name", KEY: "$.detail.object.key" },
            });
        });
    });

    it("runs the task for every matching event", () => {
        assert.deepEqual(json(one(r, T.rule).inputs.eventPattern), pattern);
        const target = one(r, T.eventTarget).inputs;
        assert.equal(target.arn, cluster.arn);
        assert.equal(target.ecsTarget.taskDefinitionArn, one(r, T.taskDefinition).outputs.arn);
        assert.equal(target.deadLetterConfig.arn, one(r, T.queue).outputs.arn);
    });

    it("passes fields of the event to the container as environment variables", () => {
        const transformer = one(r, T.eventTarget).inputs.inputTransformer;
        assert.deepEqual(transformer.inputPaths, { bucket: "$.detail.bucket.name", key: "$.detail.object.key" });
        const overrides = JSON.parse(transformer.inputTemplate.replace("<bucket>", "uploads").replace("<key>", "cat.png"));
        assert.deepEqual(overrides, { containerOverrides: [{ name: "app", environment: [{ name: "BUCKET", value: "uploads" }, { name: "KEY", value: "cat.png" }] }] });
    });

    it("lets only its own rule write to its dead-letter queue", () => {
        const statement = json(one(r, T.queuePolicy).inputs.policy).Statement[0];
        assert.deepEqual(statement.Principal, { Service: "events.amazonaws.com" });
        assert.deepEqual(statement.Condition, { ArnEquals: { "aws:SourceArn": one(r, T.rule).outputs.arn } });
        assert.deepEqual(json(one(r, T.role, "thumbnail-events").inputs.assumeRolePolicy).Statement[0].Principal, { Service: "events.amazonaws.com" });
    });

    it("refuses a pattern that is not an event pattern, and a path that is not a JSON path", () => {
        throwsProblems(() => new components.event.EventTask("bad", { ...placement, clusterArn: cluster.arn, image: busybox, eventPattern: "{not json" }), "args.eventPattern: is not valid JSON");
        throwsProblems(() => new components.event.EventTask("bad", { ...placement, clusterArn: cluster.arn, image: busybox, eventPattern: "[]" }), "must be an EventBridge event pattern");
        throwsProblems(
            () => new components.event.EventTask("bad", { ...placement, clusterArn: cluster.arn, image: busybox, eventPattern: "{\"source\":[\"x\"]}", environmentFromEvent: { KEY: "detail.key" } }),
            'args.environmentFromEvent.KEY: is not a JSON path into the event such as "$.detail.object.key"',
        );
    });
});

describe("alarms and notifications", () => {
    it("alarms on CPU, memory, missing tasks, 5xx, unhealthy targets and latency, notifying when firing and clearing", async () => {
        const topicArn = `arn:aws:sns:eu-west-1:${ACCOUNT}:alerts`;
        const r = await run(() => {
            new components.alarms.ServiceAlarms("api", {
                topicArn,
                clusterName: "c",
                serviceName: "s",
                loadBalancer: { arnSuffix: "app/lb/1", targetGroupArnSuffix: "targetgroup/tg/2" },
                cpuPercent: 90,
                error5xxPercent: 2,
            });
        });
        const alarms = Object.fromEntries(ofType(r, T.alarm).map((a) => [a.name.replace("api-", ""), a.inputs]));
        assert.deepEqual(Object.keys(alarms).sort(), ["5xx", "cpu", "latency", "memory", "tasks", "unhealthy"]);
        assert.deepEqual([alarms.cpu.metricName, alarms.cpu.threshold, alarms.cpu.evaluationPeriods], ["CPUUtilization", 90, 3]);
        assert.equal(alarms.memory.threshold, 80);
        assert.equal(alarms["5xx"].metricQueries[2].expression, "100 * FILL(errors, 0) / requests");
        assert.equal(alarms["5xx"].threshold, 2);
        assert.deepEqual(alarms.tasks.metricQueries.map((q: { id: string }) => q.id), ["running", "desired", "missing"]);
        assert.equal(alarms.latency.extendedStatistic, "p95");
        for (const a of Object.values(alarms)) {
            assert.deepEqual([a.alarmActions, a.okActions], [[topicArn], [topicArn]]);
        }
    });

    it("leaves out the task-count alarm without Container Insights, and the load balancer alarms without a load balancer", async () => {
        const r = await run(() => {
            new components.alarms.ServiceAlarms("worker", { topicArn: "arn:aws:sns:eu-west-1:123456789012:t", clusterName: "c", serviceName: "s", containerInsights: false });
        });
        assert.deepEqual(ofType(r, T.alarm).map((a) => a.name).sort(), ["worker-cpu", "worker-memory"]);
    });

    it("sends alarms and failed tasks to one topic with e-mail subscriptions", async () => {
        const r = await run(() => {
            new components.alerts.EnvironmentAlerts("prod", { clusterArn: cluster.arn, email: ["oncall@example.com"] });
        });
        const subscription = one(r, "aws:sns/topicSubscription:TopicSubscription").inputs;
        assert.deepEqual([subscription.protocol, subscription.endpoint], ["email", "oncall@example.com"]);
        const pattern = json(one(r, T.rule).inputs.eventPattern);
        assert.deepEqual(pattern.detail.lastStatus, ["STOPPED"]);
        assert.deepEqual(pattern.detail.clusterArn, [cluster.arn]);
        assert.deepEqual(pattern.detail.$or[0], { containers: { exitCode: [{ "anything-but": 0 }] } });
        const statements = json(one(r, "aws:sns/topicPolicy:TopicPolicy").inputs.policy).Statement;
        assert.deepEqual(statements.map((s: { Principal: { Service: string } }) => s.Principal.Service), ["cloudwatch.amazonaws.com", "events.amazonaws.com"]);
        assert.equal(one(r, T.eventTarget).inputs.arn, one(r, "aws:sns/topic:Topic").outputs.arn);
    });

    it("draws a dashboard row per service and per queue", () => {
        const body = dashboardBody({
            region: "eu-west-1",
            clusterName: "c",
            containerInsights: true,
            services: [{ label: "api", serviceName: "s1", loadBalancer: { arnSuffix: "app/x/1", targetGroupArnSuffix: "targetgroup/t/2" } }, { label: "jobs", serviceName: "s2" }],
            queues: [{ label: "jobs", queueName: "q" }],
        });
        assert.deepEqual(body.widgets.map((w) => w.properties.title), [
            "api: CPU and memory %",
            "api: tasks",
            "api: requests and 5xx",
            "api: response time p95",
            "jobs: CPU and memory %",
            "jobs: tasks",
            "jobs: messages waiting",
            "jobs: age of the oldest message (s)",
        ]);
        assert.deepEqual([...new Set(body.widgets.map((w) => w.y))], [0, 6, 12]);
    });
});

describe("schedule frequency", () => {
    it("counts how often a schedule fires in a month", () => {
        assert.equal(runsPerMonth("rate(1 hour)"), 730);
        assert.equal(runsPerMonth("rate(5 minutes)"), 8760);
        assert.ok(Math.abs(runsPerMonth("cron(0 3 * * ? *)") - 30.42) < 0.01, "daily");
        assert.ok(Math.abs(runsPerMonth("cron(0 20 ? * MON-FRI *)") - 21.67) < 0.01, "weekdays");
        assert.equal(runsPerMonth("cron(0,30 9-17 1 * ? *)"), 18, "twice an hour, 9 hours, on the 1st");
        assert.equal(runsPerMonth("at(2027-01-01T00:00:00)"), 0);
    });
});
