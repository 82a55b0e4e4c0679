import * as assert from "node:assert/strict";
import { PreflightError, describeFinding, preflightRuleTable, runPreflight, PreflightResource } from "../core/preflight";
import { jsonValue, rangeViolation, textViolation } from "../core/preflight/types";
import { LOG_RETENTION_VALUES } from "../core/serviceSchema";

/**
 * The preflight's rules one by one, at AWS's bounds: the last value AWS accepts passes, the first
 * it refuses is reported on the input that holds it, with the message the plan prints. Each rule's
 * sources (AWS API reference, Terraform AWS provider) sit next to it in core/preflight/.
 */

function record(type: string, inputs: Record<string, unknown>, extra: Partial<PreflightResource> = {}): PreflightResource {
    return { urn: `urn:pulumi:test::proj::${type}::r`, type, name: "r", inputs, ...extra };
}

/** [rule, key, message] of each finding. */
const found = (type: string, inputs: Record<string, unknown>, extra: Partial<PreflightResource> = {}) => runPreflight([record(type, inputs, extra)]).map((f) => [f.rule, f.key, f.message]);

const T = {
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    queue: "aws:sqs/queue:Queue",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    service: "aws:ecs/service:Service",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    schedule: "aws:scheduler/schedule:Schedule",
    eventRule: "aws:cloudwatch/eventRule:EventRule",
    eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
    scheduledAction: "aws:appautoscaling/scheduledAction:ScheduledAction",
    scalingTarget: "aws:appautoscaling/target:Target",
} as const;

const LB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
const LISTENER_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65";
const TG_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api/73e2d6bc24d8a067";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
const fargateTask = (containers: unknown[]) => ({ requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "512", containerDefinitions: JSON.stringify(containers) });

describe("preflight rules at AWS's bounds", () => {
    describe("shared helpers", () => {
        it("reports a whole number outside a range with its unit, and any fraction as outside", () => {
            assert.deepEqual(found(T.loadBalancer, { subnets: ["a", "b"], idleTimeout: 4001 }), [["elbv2.loadBalancer.settings", "idleTimeout", "4001 s is outside 1–4000 s"]]);
            assert.deepEqual(found(T.loadBalancer, { subnets: ["a", "b"], idleTimeout: 0 }), [["elbv2.loadBalancer.settings", "idleTimeout", "0 s is outside 1–4000 s"]]);
            assert.deepEqual(found(T.loadBalancer, { subnets: ["a", "b"], idleTimeout: 60.5 }), [["elbv2.loadBalancer.settings", "idleTimeout", "60.5 s is outside 1–4000 s"]]);
            assert.deepEqual(found(T.loadBalancer, { subnets: ["a", "b"], idleTimeout: 1 }), []);
            assert.deepEqual(found(T.loadBalancer, { subnets: ["a", "b"], idleTimeout: 4000 }), []);
        });

        it("reads a nested range below a missing or null parent as not given", () => {
            assert.deepEqual(found(T.targetGroup, { healthCheck: null }), []);
            assert.deepEqual(found(T.schedule, { scheduleExpression: "rate(1 hour)", flexibleTimeWindow: { mode: "FLEXIBLE" } }), []);
        });

        it("counts a text's characters up to AWS's maximum, and shows a long text with refused characters cut to 60", () => {
            assert.deepEqual(textViolation({ d: "x".repeat(10) }, "d", 10), []);
            assert.deepEqual(textViolation({ d: "x".repeat(11) }, "d", 10), [{ key: "d", message: "has 11 characters; AWS allows 10" }]);
            assert.deepEqual(textViolation({ d: 5 }, "d", 1), [], "a value that is not text is another rule's business");
            assert.deepEqual(textViolation({ d: "ab!" }, "d", 100, /[a-z]/, "letters"), [{ key: "d", message: '"ab!" has characters AWS refuses ("!"); allowed: letters' }]);
            const long = `${"a".repeat(60)}!!`;
            assert.deepEqual(textViolation({ d: long }, "d", 100, /[a-z]/, "letters"), [{ key: "d", message: `"${"a".repeat(57)}..." has characters AWS refuses ("!"); allowed: letters` }]);
            assert.deepEqual(textViolation({ d: "a".repeat(60) + "!" }, "d", 100, /[a-z]/, "letters")[0].message.slice(0, 3), '"aa');
            assert.match(textViolation({ d: `${"a".repeat(59)}!` }, "d", 100, /[a-z]/, "letters")[0].message, /^"a{59}!" has/, "60 characters are shown whole");
        });

        it("reads JSON inputs given as text or as data, and nothing from text that is not JSON", () => {
            assert.deepEqual(jsonValue('{"a":1}'), { a: 1 });
            assert.deepEqual(jsonValue({ a: 1 }), { a: 1 });
            assert.equal(jsonValue("{"), undefined);
            assert.equal(jsonValue(null), undefined);
        });
    });

    describe("CloudWatch Logs and SQS", () => {
        it("takes only the retention periods CloudWatch Logs offers", () => {
            assert.deepEqual(found(T.logGroup, { retentionInDays: 7 }), []);
            assert.deepEqual(found(T.logGroup, {}), []);
            assert.deepEqual(found(T.logGroup, { retentionInDays: 8 }), [["cloudwatch.logGroup.retention", "retentionInDays", `8 is not a retention period CloudWatch Logs offers (${LOG_RETENTION_VALUES.join(", ")})`]]);
        });

        it("holds each queue attribute to its range", () => {
            const ok = { messageRetentionSeconds: 60, visibilityTimeoutSeconds: 43200, delaySeconds: 900, receiveWaitTimeSeconds: 20 };
            assert.deepEqual(found(T.queue, ok), []);
            assert.deepEqual(found(T.queue, { messageRetentionSeconds: 1209600, visibilityTimeoutSeconds: 0, delaySeconds: 0, receiveWaitTimeSeconds: 0 }), []);
            assert.deepEqual(found(T.queue, { messageRetentionSeconds: 59, visibilityTimeoutSeconds: 43201, delaySeconds: 901, receiveWaitTimeSeconds: 21 }), [
                ["sqs.queue.attributes", "messageRetentionSeconds", "59 s is outside 60–1209600 s"],
                ["sqs.queue.attributes", "visibilityTimeoutSeconds", "43201 s is outside 0–43200 s"],
                ["sqs.queue.attributes", "delaySeconds", "901 s is outside 0–900 s"],
                ["sqs.queue.attributes", "receiveWaitTimeSeconds", "21 s is outside 0–20 s"],
            ]);
            assert.deepEqual(found(T.queue, { messageRetentionSeconds: 1209601 }), [["sqs.queue.attributes", "messageRetentionSeconds", "1209601 s is outside 60–1209600 s"]]);
        });

        it("holds a redrive policy's maxReceiveCount to 1–1000, given as JSON text or as data", () => {
            assert.deepEqual(found(T.queue, { redrivePolicy: JSON.stringify({ maxReceiveCount: 0 }) }), [["sqs.queue.attributes", "redrivePolicy.maxReceiveCount", "0 is outside 1–1000"]]);
            assert.deepEqual(found(T.queue, { redrivePolicy: { maxReceiveCount: 1001 } }), [["sqs.queue.attributes", "redrivePolicy.maxReceiveCount", "1001 is outside 1–1000"]]);
            assert.deepEqual(found(T.queue, { redrivePolicy: { maxReceiveCount: 1000 } }), []);
            assert.deepEqual(found(T.queue, { redrivePolicy: "not json" }), []);
        });

        it("wants .fifo exactly on the name of a FIFO queue", () => {
            assert.deepEqual(found(T.queue, { name: "jobs", fifoQueue: true }), [["sqs.queue.attributes", "name", "of a FIFO queue must end in .fifo"]]);
            assert.deepEqual(found(T.queue, { name: "jobs.fifo" }), [["sqs.queue.attributes", "name", "ends in .fifo, which is for FIFO queues only"]]);
            assert.deepEqual(found(T.queue, { name: "jobs.fifo", fifoQueue: true }), []);
            assert.deepEqual(found(T.queue, { name: "jobs", fifoQueue: false }), []);
        });
    });

    describe("ARNs passed between resources", () => {
        it("wants a listener on a load balancer ARN, with an ACM or IAM server certificate", () => {
            assert.deepEqual(found(T.listener, { loadBalancerArn: LB_ARN, certificateArn: "arn:aws:iam::123456789012:server-certificate/web", protocol: "HTTPS", port: 443 }), []);
            assert.deepEqual(found(T.listener, { loadBalancerArn: LB_ARN, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234", protocol: "HTTPS", port: 443 }), []);
            assert.deepEqual(found(T.listener, { loadBalancerArn: TG_ARN, port: 80 }), [["elbv2.listener.arns", "loadBalancerArn", `${JSON.stringify(TG_ARN)} is not the ARN of a load balancer`]]);
            assert.deepEqual(found(T.listener, { loadBalancerArn: "arn:aws:ec2:eu-west-1:123456789012:loadbalancer/x", port: 80 }).map((f) => f[1]), ["loadBalancerArn"]);
            for (const cert of ["arn:aws:acm:eu-west-1:123456789012:server-certificate/1", "arn:aws:iam::123456789012:certificate/1", "not an arn"]) {
                assert.deepEqual(found(T.listener, { certificateArn: cert, protocol: "HTTPS", port: 443 }), [["elbv2.listener.arns", "certificateArn", `${JSON.stringify(cert)} is not the ARN of an ACM certificate or an IAM server certificate`]], cert);
            }
        });

        it("wants a listener rule on a listener ARN, forwarding to target group ARNs, naming the action", () => {
            const conditions = [{ pathPattern: { values: ["/api/*"] } }];
            assert.deepEqual(found(T.listenerRule, { priority: 1, conditions, listenerArn: LISTENER_ARN, actions: [{ targetGroupArn: TG_ARN }] }), []);
            assert.deepEqual(found(T.listenerRule, { priority: 1, conditions, listenerArn: LB_ARN, actions: [{ type: "fixed-response" }, { targetGroupArn: LB_ARN }] }), [
                ["elbv2.listenerRule.arns", "listenerArn", `${JSON.stringify(LB_ARN)} is not the ARN of a load balancer listener`],
                ["elbv2.listenerRule.arns", "actions[1].targetGroupArn", `${JSON.stringify(LB_ARN)} is not the ARN of a target group`],
            ]);
            assert.deepEqual(found(T.listenerRule, { priority: 1, conditions, listenerArn: LISTENER_ARN, actions: "x" }), [], "actions that are not a list are not read");
        });

        it("names the container secret whose source is not a secret or a parameter, by its own position", () => {
            const containers = [
                { name: "app", secrets: [{ name: "OK", valueFrom: SECRET_ARN }, { name: "BAD", valueFrom: "arn:aws:s3:::bucket/db" }] },
                { name: "side", secrets: [{ name: "LATER", valueFrom: "plain text" }, { name: "UNKNOWN" }] },
            ];
            assert.deepEqual(
                found(T.taskDefinition, { containerDefinitions: JSON.stringify(containers) }).filter((f) => f[0] === "ecs.taskDefinition.secretArns"),
                [
                    ["ecs.taskDefinition.secretArns", "containerDefinitions[0].secrets[1].valueFrom", '"arn:aws:s3:::bucket/db" (BAD) is not the ARN of a Secrets Manager secret or an SSM parameter'],
                    ["ecs.taskDefinition.secretArns", "containerDefinitions[1].secrets[0].valueFrom", '"plain text" (LATER) is not the ARN of a Secrets Manager secret or an SSM parameter'],
                ],
            );
        });
    });

    describe("IAM", () => {
        it("holds a role's description to 1000 characters of tab, line breaks and printable Latin-1", () => {
            assert.deepEqual(found(T.role, { description: `${"é".repeat(999)}\t` }), []);
            assert.deepEqual(found(T.role, { description: "x".repeat(1001) }), [["iam.role.settings", "description", "has 1001 characters; AWS allows 1000"]]);
            assert.deepEqual(found(T.role, { description: "task role \u2014 api" }), [["iam.role.settings", "description", '"task role \u2014 api" has characters AWS refuses ("\u2014"); allowed: tab, line breaks and printable Latin-1 characters']]);
        });

        it("holds a role's session to 3600–43200 s and its path to /…/", () => {
            assert.deepEqual(found(T.role, { maxSessionDuration: 3600, path: "/" }), []);
            assert.deepEqual(found(T.role, { maxSessionDuration: 43200, path: "/team/app/" }), []);
            assert.deepEqual(found(T.role, { maxSessionDuration: 3599 }), [["iam.role.settings", "maxSessionDuration", "3599 s is outside 3600–43200 s"]]);
            assert.deepEqual(found(T.role, { maxSessionDuration: 43201 }).map((f) => f[1]), ["maxSessionDuration"]);
            for (const path of ["team/", "/team", "", `/${"a".repeat(511)}/`]) {
                assert.deepEqual(found(T.role, { path }), [["iam.role.settings", "path", `${JSON.stringify(path)} must start and end with "/" (at most 512 characters)`]], path);
            }
            assert.deepEqual(found(T.role, { path: `/${"a".repeat(510)}/` }), [], "512 characters");
        });

        it("wants a trust policy that is a JSON document of version 2012-10-17 with a statement", () => {
            const statement = { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" };
            assert.deepEqual(found(T.role, { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: statement }) }), [], "one statement as an object");
            assert.deepEqual(found(T.role, { assumeRolePolicy: { Version: "2012-10-17", Statement: [statement] } }), []);
            assert.deepEqual(found(T.role, { assumeRolePolicy: "{" }), [["iam.role.trustPolicy", "assumeRolePolicy", "is not a JSON policy document"]]);
            assert.deepEqual(found(T.role, { assumeRolePolicy: '"text"' }), [["iam.role.trustPolicy", "assumeRolePolicy", "is not a JSON policy document"]]);
            assert.deepEqual(found(T.role, { assumeRolePolicy: JSON.stringify({ Version: "2008-10-17", Statement: [] }) }), [
                ["iam.role.trustPolicy", "assumeRolePolicy.Version", '"2008-10-17" must be "2012-10-17" (the older version disables policy variables)'],
                ["iam.role.trustPolicy", "assumeRolePolicy.Statement", "is empty: IAM refuses a policy without statements"],
            ]);
        });

        it("holds a role's inline policy to 10240 characters without whitespace", () => {
            const policy = (padding: number) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${"b".repeat(padding)}` }] });
            const base = policy(0).length;
            assert.deepEqual(found(T.rolePolicy, { policy: policy(10240 - base) }), []);
            assert.deepEqual(found(T.rolePolicy, { policy: `${policy(10240 - base)}  \n` }), [], "whitespace is not counted");
            assert.deepEqual(found(T.rolePolicy, { policy: policy(10241 - base) }), [["iam.rolePolicy.document", "policy", "has 10241 characters without whitespace; a role's inline policies may have 10240 in total"]]);
        });

        it("wants a managed policy ARN in a role policy attachment", () => {
            assert.deepEqual(found(T.attachment, { policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" }), []);
            assert.deepEqual(found(T.attachment, { policyArn: "arn:aws:iam::aws:role/x" }), [["iam.rolePolicyAttachment.policyArn", "policyArn", '"arn:aws:iam::aws:role/x" is not the ARN of a managed policy']]);
        });
    });

    describe("ECS", () => {
        it("wants a Fargate task's CPU and memory at the task level, in a supported pair", () => {
            assert.deepEqual(found(T.taskDefinition, { requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "512" }), []);
            assert.deepEqual(found(T.taskDefinition, { requiresCompatibilities: ["FARGATE"], cpu: "256" }), [["ecs.taskDefinition.fargateSize", "cpu", "a Fargate task definition needs cpu and memory at the task level"]]);
            assert.deepEqual(found(T.taskDefinition, { requiresCompatibilities: ["FARGATE"], memory: "512" }).map((f) => f[1]), ["cpu"]);
            assert.deepEqual(found(T.taskDefinition, { requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "4096" }), [["ecs.taskDefinition.fargateSize", "memory", "4096 MiB is not valid with 256 CPU units on Fargate; allowed: 512, 1024, 2048"]]);
            assert.deepEqual(found(T.taskDefinition, { requiresCompatibilities: ["EC2"], cpu: "256", memory: "4096" }), [], "not a Fargate task");
        });

        it("wants container names of 1–255 letters, digits, - and _, each once, and an essential container", () => {
            assert.deepEqual(found(T.taskDefinition, fargateTask([{ name: "a".repeat(255) }, { name: "side_car-2", essential: false }])), []);
            assert.deepEqual(found(T.taskDefinition, fargateTask([{ name: "a".repeat(256) }, { name: "web app" }, {}, { name: "x" }, { name: "x" }])).map((f) => [f[1], f[2]]), [
                ["containerDefinitions[0].name", `"${"a".repeat(256)}" must be 1–255 letters, digits, - and _`],
                ["containerDefinitions[1].name", '"web app" must be 1–255 letters, digits, - and _'],
                ["containerDefinitions[2].name", "undefined must be 1–255 letters, digits, - and _"],
                ["containerDefinitions[4].name", '"x" is used by another container of the task'],
            ]);
            assert.deepEqual(found(T.taskDefinition, fargateTask([{ name: "a", essential: false }])), [["ecs.taskDefinition.containers", "containerDefinitions", "has no essential container"]]);
            assert.deepEqual(found(T.taskDefinition, fargateTask([])), [], "no container: nothing to judge");
            assert.deepEqual(found(T.taskDefinition, { containerDefinitions: "[" }), [["ecs.taskDefinition.containers", "containerDefinitions", "is not a JSON list of container definitions"]]);
        });

        it("holds a container's stop timeout to 2–120 s on Fargate", () => {
            assert.deepEqual(found(T.taskDefinition, fargateTask([{ name: "a", stopTimeout: 2 }, { name: "b", stopTimeout: 120 }])), []);
            assert.deepEqual(found(T.taskDefinition, fargateTask([{ name: "a", stopTimeout: 1 }, { name: "b", stopTimeout: 121 }])).map((f) => [f[1], f[2]]), [
                ["containerDefinitions[0].stopTimeout", "1 s is outside 2–120 s"],
                ["containerDefinitions[1].stopTimeout", "121 s is outside 2–120 s"],
            ]);
        });

        it("wants a capacity provider strategy without a launch type, a base on one provider, a weight above 0, within AWS's ranges", () => {
            const rule = "ecs.service.capacity";
            assert.deepEqual(found(T.service, { capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1000, base: 100000 }, { capacityProvider: "FARGATE_SPOT", weight: 0 }] }), []);
            assert.deepEqual(found(T.service, { capacityProviderStrategies: [], launchType: "FARGATE" }), [], "an empty strategy is no strategy");
            assert.deepEqual(found(T.service, { launchType: "FARGATE", capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1 }] }), [[rule, "launchType", "cannot be set with capacityProviderStrategies"]]);
            assert.deepEqual(found(T.service, { capacityProviderStrategies: [{ weight: 1, base: 1 }, { weight: 1, base: 2 }] }), [[rule, "capacityProviderStrategies", "sets a base on more than one provider; ECS allows a base on one"]]);
            assert.deepEqual(found(T.service, { capacityProviderStrategies: [{ weight: 0 }, {}] }), [[rule, "capacityProviderStrategies", "has no provider with a weight above 0"]]);
            assert.deepEqual(found(T.service, { capacityProviderStrategies: [{ weight: 1001, base: -1 }, { weight: -1, base: 100001 }] }), [
                [rule, "capacityProviderStrategies[0].weight", "1001 is outside 0–1000"],
                [rule, "capacityProviderStrategies[0].base", "-1 is outside 0–100000"],
                [rule, "capacityProviderStrategies[1].weight", "-1 is outside 0–1000"],
                [rule, "capacityProviderStrategies[1].base", "100001 is outside 0–100000"],
            ]);
        });

        it("holds a deployment to 0–100 % healthy and 100–200 % running, with room to start a task, and a grace period only behind a load balancer", () => {
            const rule = "ecs.service.deployment";
            assert.deepEqual(found(T.service, { deploymentMinimumHealthyPercent: 0, deploymentMaximumPercent: 200 }), []);
            assert.deepEqual(found(T.service, { deploymentMinimumHealthyPercent: 100, deploymentMaximumPercent: 101 }), []);
            assert.deepEqual(found(T.service, { deploymentMinimumHealthyPercent: 50, deploymentMaximumPercent: 100 }), []);
            assert.deepEqual(found(T.service, { deploymentMinimumHealthyPercent: -1, deploymentMaximumPercent: 201 }), [
                [rule, "deploymentMinimumHealthyPercent", "-1 % is outside 0–100 %"],
                [rule, "deploymentMaximumPercent", "201 % is outside 100–200 %"],
            ]);
            assert.deepEqual(found(T.service, { deploymentMinimumHealthyPercent: 101, deploymentMaximumPercent: 99 }).map((f) => f[1]), ["deploymentMinimumHealthyPercent", "deploymentMaximumPercent"]);
            assert.deepEqual(found(T.service, { deploymentMinimumHealthyPercent: 100, deploymentMaximumPercent: 100 }), [[rule, "deploymentMaximumPercent", "100 with a minimum of 100 % leaves no room to start a task"]]);
            assert.deepEqual(found(T.service, { healthCheckGracePeriodSeconds: 60 }), [[rule, "healthCheckGracePeriodSeconds", "is only valid for a service with a load balancer"]]);
            assert.deepEqual(found(T.service, { healthCheckGracePeriodSeconds: 60, loadBalancers: [] }).map((f) => f[1]), ["healthCheckGracePeriodSeconds"]);
            assert.deepEqual(found(T.service, { healthCheckGracePeriodSeconds: 60, loadBalancers: [{ targetGroupArn: TG_ARN, containerName: "app", containerPort: 80 }] }), []);
        });
    });

    describe("fixed lists of values", () => {
        it("wants a Fargate task on awsvpc, with an architecture and an OS family from AWS's lists", () => {
            const ok = { requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "512", networkMode: "awsvpc", runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "WINDOWS_SERVER_2025_CORE" } };
            assert.deepEqual(found(T.taskDefinition, ok), []);
            assert.deepEqual(found(T.taskDefinition, { ...ok, networkMode: "bridge", runtimePlatform: { cpuArchitecture: "arm64", operatingSystemFamily: "linux" } }), [
                ["ecs.taskDefinition.fargate", "runtimePlatform.cpuArchitecture", '"arm64" is not one of X86_64, ARM64'],
                ["ecs.taskDefinition.fargate", "runtimePlatform.operatingSystemFamily", '"linux" is not one of LINUX, WINDOWS_SERVER_2019_FULL, WINDOWS_SERVER_2019_CORE, WINDOWS_SERVER_2022_FULL, WINDOWS_SERVER_2022_CORE, WINDOWS_SERVER_2025_FULL, WINDOWS_SERVER_2025_CORE'],
                ["ecs.taskDefinition.fargate", "networkMode", '"bridge": Fargate tasks use "awsvpc"'],
            ]);
            assert.deepEqual(found(T.taskDefinition, { networkMode: "bridge" }), [], "not a Fargate task");
        });

        it("wants a service's launch type, tag propagation and scheduling strategy from AWS's lists", () => {
            assert.deepEqual(found(T.service, { launchType: "FARGATE", propagateTags: "SERVICE", schedulingStrategy: "REPLICA" }), []);
            assert.deepEqual(found(T.service, { launchType: "fargate", propagateTags: "ALL", schedulingStrategy: "SPREAD" }), [
                ["ecs.service.enums", "launchType", '"fargate" is not one of EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES'],
                ["ecs.service.enums", "propagateTags", '"ALL" is not one of SERVICE, TASK_DEFINITION, NONE'],
                ["ecs.service.enums", "schedulingStrategy", '"SPREAD" is not one of REPLICA, DAEMON'],
            ]);
        });

        it("wants a target group's type and protocols, and a listener's protocol, from AWS's lists", () => {
            assert.deepEqual(found(T.targetGroup, { targetType: "ip", protocol: "HTTP", healthCheck: { protocol: "HTTPS" } }), []);
            assert.deepEqual(found(T.targetGroup, { targetType: "IP", protocol: "HTTP2", healthCheck: { protocol: "UDP" } }), [
                ["elbv2.enums", "targetType", '"IP" is not one of instance, ip, lambda, alb'],
                ["elbv2.enums", "protocol", '"HTTP2" is not one of HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE'],
                ["elbv2.enums", "healthCheck.protocol", '"UDP" is not one of HTTP, HTTPS, TCP'],
            ]);
            assert.deepEqual(found(T.listener, { protocol: "QUIC", port: 443 }), []);
            assert.deepEqual(found(T.listener, { protocol: "SSH", port: 22 }), [["elbv2.listener.protocol", "protocol", '"SSH" is not one of HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE, QUIC, TCP_QUIC']]);
        });

        it("reports a target group of another type only for the service whose load balancers use it", () => {
            const tg = record(T.targetGroup, { targetType: "instance" }, { urn: "urn:tg", name: "tg" });
            const ipTg = record(T.targetGroup, { targetType: "ip" }, { urn: "urn:ip", name: "ip" });
            const queue = record(T.queue, { targetType: "instance" }, { urn: "urn:q", name: "q" });
            const service = record(T.service, {}, { urn: "urn:svc", name: "svc", propertyDependencies: { loadBalancers: ["urn:tg", "urn:ip", "urn:q", "urn:gone"] } });
            const other = record(T.service, {}, { urn: "urn:other", name: "other", propertyDependencies: { cluster: ["urn:tg"] } });
            assert.deepEqual(
                runPreflight([tg, ipTg, queue, service, other]).map((f) => [f.rule, f.resource, f.key, f.message]),
                [["ecs.service.targetGroupType", "svc", "loadBalancers", 'target group tg has target type "instance"; awsvpc tasks register by IP ("ip")']],
            );
        });
    });

    describe("security groups, alarms and tags", () => {
        it("holds a security group's description to EC2's rule", () => {
            assert.deepEqual(found(T.securityGroup, { description: "x" }), []);
            assert.deepEqual(found(T.securityGroup, { description: "" }), [["ec2.securityGroup.description", "description", "is empty: EC2 requires a security group description"]]);
            assert.deepEqual(found(T.ingress, { description: "" }), [], "a rule's description may be empty");
        });

        for (const [type, rule] of [
            [T.ingress, "vpc.securityGroupIngressRule.settings"],
            [T.egress, "vpc.securityGroupEgressRule.settings"],
        ] as const) {
            it(`holds ${rule}'s ports to 0–65535, from at most to, except for all protocols, with one ${type === T.ingress ? "source" : "destination"}`, () => {
                assert.deepEqual(found(type, { ipProtocol: "tcp", fromPort: 0, toPort: 65535, cidrIpv4: "10.0.0.0/8" }), []);
                assert.deepEqual(found(type, { ipProtocol: "tcp", fromPort: 443, toPort: 443 }), []);
                assert.deepEqual(found(type, { ipProtocol: "tcp", fromPort: -2, toPort: 65536 }), [
                    [rule, "fromPort", "-2 is outside 0–65535"],
                    [rule, "toPort", "65536 is outside 0–65535"],
                ]);
                assert.deepEqual(found(type, { ipProtocol: "tcp", fromPort: 444, toPort: 443 }), [[rule, "fromPort", "444 is above toPort (443)"]]);
                assert.deepEqual(found(type, { ipProtocol: "-1", fromPort: -1, toPort: -1 }), [], "all protocols: AWS ignores the ports");
                assert.deepEqual(found(type, { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", cidrIpv6: "::/0", prefixListId: "pl-1" }), [[rule, "cidrIpv6", "cannot be set with cidrIpv4: a rule has one source or destination"]]);
                assert.deepEqual(found(type, { ipProtocol: "tcp", description: "it's" }).map((f) => f[1]), ["description"]);
            });
        }

        it("holds an alarm's description to 1024 characters and its actions to 5 a state", () => {
            const five = Array.from({ length: 5 }, (_, i) => `arn:aws:sns:eu-west-1:123456789012:t${i}`);
            assert.deepEqual(found(T.alarm, { alarmDescription: "x".repeat(1024), alarmActions: five, okActions: five, insufficientDataActions: five }), []);
            assert.deepEqual(found(T.alarm, { alarmDescription: "x".repeat(1025), alarmActions: [...five, "a"], okActions: [...five, "a"], insufficientDataActions: [...five, "a", "b"] }), [
                ["cloudwatch.metricAlarm.settings", "alarmDescription", "has 1025 characters; AWS allows 1024"],
                ["cloudwatch.metricAlarm.settings", "alarmActions", "has 6 actions; CloudWatch allows 5"],
                ["cloudwatch.metricAlarm.settings", "okActions", "has 6 actions; CloudWatch allows 5"],
                ["cloudwatch.metricAlarm.settings", "insufficientDataActions", "has 7 actions; CloudWatch allows 5"],
            ]);
        });

        it("holds any resource to 50 tags, keys of 1–128 characters outside aws:, values of 256", () => {
            const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
            assert.deepEqual(found(T.logGroup, { tags: { ...tags(48), ["k".repeat(128)]: "v".repeat(256), awsx: "v" } }), []);
            assert.deepEqual(found(T.logGroup, { tags: tags(51) }), [["tagging.tags", "tags", "has 51 tags; AWS allows 50 per resource"]]);
            assert.deepEqual(found(T.logGroup, { tags: { "": "v", ["k".repeat(129)]: "v", "aws:x": "v", big: "v".repeat(257) } }), [
                ["tagging.tags", "tags.", "key has 0 characters; AWS allows 1 to 128"],
                ["tagging.tags", `tags.${"k".repeat(129)}`, "key has 129 characters; AWS allows 1 to 128"],
                ["tagging.tags", "tags.aws:x", 'keys starting with "aws:" are reserved by AWS'],
                ["tagging.tags", "tags.big", "value has 257 characters; AWS allows 256"],
            ]);
            assert.deepEqual(found(T.logGroup, { tags: ["a"] }), [], "a list is not a tag map");
            assert.deepEqual(found(T.logGroup, { tags: "a" }), []);
        });
    });

    describe("schedules and event rules", () => {
        it("wants a schedule's expression, time zone, retries and flexible window within EventBridge Scheduler's rules", () => {
            const rule = "scheduler.schedule.settings";
            const ok = { scheduleExpression: "rate(1 hour)", scheduleExpressionTimezone: "Europe/Paris", target: { retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 60 } }, flexibleTimeWindow: { mode: "FLEXIBLE", maximumWindowInMinutes: 1440 } };
            assert.deepEqual(found(T.schedule, ok), []);
            assert.deepEqual(found(T.schedule, { ...ok, target: { retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 86400 } }, flexibleTimeWindow: { mode: "FLEXIBLE", maximumWindowInMinutes: 1 } }), []);
            assert.deepEqual(found(T.schedule, { ...ok, scheduleExpressionTimezone: "CET1" }).map((f) => [f[1], f[2]]), [["scheduleExpressionTimezone", '"CET1" is not an IANA time zone name such as Europe/Paris or Asia/Kolkata (abbreviations such as IST are refused)']]);
            assert.deepEqual(found(T.schedule, { ...ok, scheduleExpression: "rate(0 minutes)" }).map((f) => f[1]), ["scheduleExpression"]);
            assert.deepEqual(found(T.schedule, { ...ok, target: { retryPolicy: { maximumRetryAttempts: 186, maximumEventAgeInSeconds: 59 } } }), [
                [rule, "target.retryPolicy.maximumRetryAttempts", "186 is outside 0–185"],
                [rule, "target.retryPolicy.maximumEventAgeInSeconds", "59 s is outside 60–86400 s"],
            ]);
            assert.deepEqual(found(T.schedule, { ...ok, flexibleTimeWindow: { mode: "FLEXIBLE", maximumWindowInMinutes: 1441 } }), [[rule, "flexibleTimeWindow.maximumWindowInMinutes", "1441 min is outside 1–1440 min"]]);
            assert.deepEqual(found(T.schedule, { ...ok, flexibleTimeWindow: { mode: "OFF", maximumWindowInMinutes: 5 } }), [[rule, "flexibleTimeWindow.maximumWindowInMinutes", "is only for mode FLEXIBLE"]]);
            assert.deepEqual(found(T.schedule, { ...ok, flexibleTimeWindow: { mode: "OFF" } }), []);
            assert.deepEqual(found(T.schedule, { ...ok, flexibleTimeWindow: {} }), []);
            assert.deepEqual(found(T.schedule, { ...ok, flexibleTimeWindow: { mode: "ON" } }), [[rule, "flexibleTimeWindow.mode", '"ON" is not OFF or FLEXIBLE']]);
        });

        it("wants an event rule with a short description and an event pattern that is a JSON object of 4096 characters, or a schedule", () => {
            const rule = "cloudwatch.eventRule.settings";
            const pattern = (length: number) => JSON.stringify({ source: ["x".repeat(length - 15)] });
            assert.equal(pattern(4096).length, 4096);
            assert.deepEqual(found(T.eventRule, { description: "x".repeat(512), eventPattern: pattern(4096) }), []);
            assert.deepEqual(found(T.eventRule, { scheduleExpression: "rate(1 day)" }), []);
            assert.deepEqual(found(T.eventRule, { description: "x".repeat(513), eventPattern: pattern(4097) }), [
                [rule, "description", "has 513 characters; AWS allows 512"],
                [rule, "eventPattern", "has 4097 characters; EventBridge allows 4096"],
            ]);
            for (const eventPattern of ["{", "[1]", "null", "3"]) assert.deepEqual(found(T.eventRule, { eventPattern }), [[rule, "eventPattern", "is not a JSON object"]], eventPattern);
            assert.deepEqual(found(T.eventRule, {}), [[rule, "eventPattern", "or scheduleExpression is required"]]);
        });

        it("holds an event target's retries to 0–185 within 60–86400 s", () => {
            assert.deepEqual(found(T.eventTarget, { retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 } }), []);
            assert.deepEqual(found(T.eventTarget, { retryPolicy: { maximumRetryAttempts: -1, maximumEventAgeInSeconds: 86401 } }), [
                ["cloudwatch.eventTarget.retry", "retryPolicy.maximumRetryAttempts", "-1 is outside 0–185"],
                ["cloudwatch.eventTarget.retry", "retryPolicy.maximumEventAgeInSeconds", "86401 s is outside 60–86400 s"],
            ]);
        });

        it("wants a scheduled scaling action's minimum at most its maximum, and a scalable target's too", () => {
            const action = (min: number, max: number) => ({ schedule: "cron(0 20 * * ? *)", timezone: "Europe/Paris", scalableTargetAction: { minCapacity: min, maxCapacity: max } });
            assert.deepEqual(found(T.scheduledAction, action(2, 2)), []);
            assert.deepEqual(found(T.scheduledAction, action(3, 2)), [["appautoscaling.scheduledAction.settings", "scalableTargetAction.minCapacity", "3 is above maxCapacity (2)"]]);
            assert.deepEqual(found(T.scheduledAction, { schedule: "every day" }).map((f) => f[1]), ["schedule"]);
            assert.deepEqual(found(T.scalingTarget, { minCapacity: 2, maxCapacity: 2 }), []);
            assert.deepEqual(found(T.scalingTarget, { minCapacity: 3, maxCapacity: 2 }), [["appautoscaling.target.capacity", "minCapacity", "3 is above maxCapacity (2)"]]);
        });
    });

    describe("load balancers, listeners and target groups", () => {
        it("wants a certificate on an HTTPS listener and none on an HTTP one, and a port of 1–65535", () => {
            assert.deepEqual(found(T.listener, { protocol: "HTTP", port: 1 }), []);
            assert.deepEqual(found(T.listener, { protocol: "HTTPS", port: 65535, certificateArn: undefined }), [], "a certificate not known yet");
            assert.deepEqual(found(T.listener, { protocol: "HTTP", port: 80, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }), [["elbv2.listener.certificate", "sslPolicy", "applies to HTTPS and TLS listeners only, not HTTP"]]);
            assert.deepEqual(found(T.listener, { protocol: "HTTP", port: 80, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1", sslPolicy: "x" }), [["elbv2.listener.certificate", "certificateArn", "applies to HTTPS and TLS listeners only, not HTTP"]]);
            assert.deepEqual(found(T.listener, { protocol: "HTTP", port: 0 }), [["elbv2.listener.port", "port", "0 is outside 1–65535"]]);
            assert.deepEqual(found(T.listener, { protocol: "HTTP", port: 65536 }).map((f) => f[1]), ["port"]);
        });

        it("wants an application load balancer in two subnets; a network load balancer may have one", () => {
            assert.deepEqual(found(T.loadBalancer, { subnets: ["a"] }), [["elbv2.loadBalancer.settings", "subnets", "has 1; an application load balancer needs subnets in at least two Availability Zones"]]);
            assert.deepEqual(found(T.loadBalancer, { loadBalancerType: "application", subnets: [] }).map((f) => f[1]), ["subnets"]);
            assert.deepEqual(found(T.loadBalancer, { loadBalancerType: "network", subnets: ["a"], securityGroups: ["sg-1"] }), []);
            assert.deepEqual(found(T.loadBalancer, {}), [], "subnets not known yet");
        });

        it("holds a target group's health check and deregistration delay to AWS's ranges", () => {
            const rule = "elbv2.targetGroup.healthCheck";
            assert.deepEqual(found(T.targetGroup, { healthCheck: { interval: 300, timeout: 120, healthyThreshold: 10, unhealthyThreshold: 2, path: `/${"x".repeat(1023)}` }, deregistrationDelay: 3600 }), []);
            assert.deepEqual(found(T.targetGroup, { healthCheck: { interval: 5, timeout: 2, healthyThreshold: 2, unhealthyThreshold: 10 }, deregistrationDelay: 0 }), []);
            assert.deepEqual(found(T.targetGroup, { healthCheck: { interval: 4, timeout: 1, healthyThreshold: 1, unhealthyThreshold: 11 }, deregistrationDelay: 3601 }), [
                [rule, "healthCheck.interval", "4 s is outside 5–300 s"],
                [rule, "healthCheck.timeout", "1 s is outside 2–120 s"],
                [rule, "healthCheck.healthyThreshold", "1 is outside 2–10"],
                [rule, "healthCheck.unhealthyThreshold", "11 is outside 2–10"],
                [rule, "deregistrationDelay", "3601 s is outside 0–3600 s"],
            ]);
            assert.deepEqual(found(T.targetGroup, { healthCheck: { interval: 301, timeout: 121, healthyThreshold: 11, unhealthyThreshold: 1 } }).map((f) => f[1]), ["healthCheck.interval", "healthCheck.timeout", "healthCheck.healthyThreshold", "healthCheck.unhealthyThreshold"]);
            assert.deepEqual(found(T.targetGroup, { healthCheck: { interval: 10, timeout: 10 } }), [[rule, "healthCheck.timeout", "10 s must be shorter than the interval (10 s)"]]);
            assert.deepEqual(found(T.targetGroup, { healthCheck: { path: "health" } }), [[rule, "healthCheck.path", '"health" must start with "/" and have at most 1024 characters']]);
            assert.deepEqual(found(T.targetGroup, { healthCheck: { path: `/${"x".repeat(1024)}` } }).map((f) => f[1]), ["healthCheck.path"]);
        });

        it("reports a listener rule's condition problem at the condition that holds it", () => {
            const conditions = [{ hostHeader: { values: ["api.example.com"] } }, { pathPattern: { values: ["/ok", "no-slash"] } }];
            assert.deepEqual(
                found(T.listenerRule, { priority: 1, conditions }).map((f) => [f[0], f[1]]),
                [["elbv2.listenerRule.conditions", "conditions[1].pathPattern.values[1]"]],
            );
            assert.deepEqual(found(T.listenerRule, { priority: 0, conditions: [{ pathPattern: { values: ["/a"] } }] }).map((f) => f[1]), ["priority"]);
            assert.deepEqual(found(T.listenerRule, { priority: 1, conditions: "x" }).map((f) => f[1]), ["conditions"]);
        });

        it("counts the rules of both listeners of one load balancer together, and names the first one over", () => {
            const listeners = ["http", "https"].map((n) => record(T.listener, { port: n === "http" ? 80 : 443 }, { urn: `urn:${n}`, name: n, propertyDependencies: { loadBalancerArn: ["urn:lb"] } }));
            const rules = (n: number) =>
                Array.from({ length: n }, (_, i) =>
                    record(T.listenerRule, { priority: i + 1, conditions: [{ hostHeader: { values: [`h${i}.example.com`] } }] }, { urn: `urn:r${i}`, name: `r${i}`, propertyDependencies: { listenerArn: [i % 2 ? "urn:http" : "urn:https"] } }),
                );
            assert.deepEqual(runPreflight([...listeners, ...rules(100)]), []);
            assert.deepEqual(runPreflight([...listeners, ...rules(101)]).map((f) => [f.resource, f.message]), [["r100", 'is rule 101 on one load balancer; AWS allows 100 (quota "Rules per Application Load Balancer")']]);
            assert.deepEqual(runPreflight([...listeners, ...rules(103)]).map((f) => [f.resource, f.message]), [["r100", 'is rule 101 of 103 on one load balancer; AWS allows 100 (quota "Rules per Application Load Balancer")']]);
        });

        it("groups listener rules by the listener ARN they were given when no dependency says where it came from", () => {
            const rule = (name: string, listenerArn: string) => record(T.listenerRule, { listenerArn, priority: 5, conditions: [{ pathPattern: { values: [`/${name}`] } }] }, { urn: `urn:${name}`, name });
            assert.deepEqual(runPreflight([rule("a", LISTENER_ARN), rule("b", `${LISTENER_ARN}0`)]), [], "two listeners may each use priority 5");
            assert.deepEqual(runPreflight([rule("a", LISTENER_ARN), rule("b", LISTENER_ARN)]).map((f) => [f.rule, f.resource, f.key]), [["elbv2.listener.routing", "b", "priority"]]);
        });
    });
});

describe("preflight rules on values not known or not typed yet", () => {
    it("reads a range below a missing or null parent as not given", () => {
        assert.deepEqual(rangeViolation({ a: null }, "a.b", 0, 1), []);
        assert.deepEqual(rangeViolation({}, "a.b", 0, 1), []);
        assert.deepEqual(rangeViolation({ a: { b: 2 } }, "a.b", 0, 1), [{ key: "a.b", message: "2 is outside 0–1" }]);
    });

    it("names a container definition that is not an object, and reads the others, without stopping", () => {
        assert.deepEqual(found(T.taskDefinition, { containerDefinitions: JSON.stringify([null, "app", { name: "app", image: "nginx:1", essential: false }]) }), [
            ["ecs.taskDefinition.containers", "containerDefinitions[0]", "null is not a container definition: ECS wants an object with a name and an image"],
            ["ecs.taskDefinition.containers", "containerDefinitions[1]", '"app" is not a container definition: ECS wants an object with a name and an image'],
        ]);
            const secrets = [null, "x", { name: "DB", valueFrom: "db-password" }];
        assert.deepEqual(found(T.taskDefinition, { containerDefinitions: JSON.stringify([{ name: "app", image: "nginx:1", secrets }, { name: "side", image: "nginx:1", secrets: "DB" }]) }), [
            ["ecs.taskDefinition.secretArns", "containerDefinitions[0].secrets[2].valueFrom", '"db-password" (DB) is not the ARN of a Secrets Manager secret or an SSM parameter'],
        ]);
    });

    it("lists every refused character of a text once, in order", () => {
        assert.deepEqual(textViolation({ d: "a!b?c!" }, "d", 100, /[a-z]/, "letters"), [{ key: "d", message: '"a!b?c!" has characters AWS refuses ("!" "?"); allowed: letters' }]);
    });

    it("leaves numbers given as text to the provider's type checks", () => {
        assert.deepEqual(found(T.targetGroup, { healthCheck: { interval: 10, timeout: "15" } }), []);
        assert.deepEqual(found(T.targetGroup, { healthCheck: { interval: "10", timeout: 15 } }), []);
        assert.deepEqual(found(T.ingress, { ipProtocol: "tcp", fromPort: "444", toPort: 443 }), []);
        assert.deepEqual(found(T.ingress, { ipProtocol: "tcp", fromPort: 444, toPort: "443" }), []);
        assert.deepEqual(found(T.scheduledAction, { schedule: "rate(1 hour)", scalableTargetAction: { minCapacity: "3", maxCapacity: 2 } }), []);
        assert.deepEqual(found(T.scheduledAction, { schedule: "rate(1 hour)", scalableTargetAction: { minCapacity: 3, maxCapacity: "2" } }), []);
        assert.deepEqual(found(T.scalingTarget, { minCapacity: "3", maxCapacity: 2 }), []);
        assert.deepEqual(found(T.scalingTarget, { minCapacity: 3, maxCapacity: "2" }), []);
        assert.deepEqual(found(T.logGroup, { tags: "x".repeat(51) }), [], "tags given as text are not a tag map");
    });

    it("judges no expression, window, policy or ARN that is not given", () => {
        assert.deepEqual(found(T.schedule, {}), []);
        assert.deepEqual(found(T.scheduledAction, {}), []);
        assert.deepEqual(found(T.attachment, {}), []);
        assert.deepEqual(found(T.rolePolicy, { policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] } }), [], "a policy given as data");
        assert.deepEqual(found(T.listenerRule, { priority: 1, conditions: [{ pathPattern: { values: ["/a"] } }], actions: [null, undefined] }), []);
        const tg = record(T.targetGroup, { targetType: undefined }, { urn: "urn:tg", name: "tg" });
        const service = record(T.service, {}, { urn: "urn:svc", name: "svc", propertyDependencies: { loadBalancers: ["urn:tg"] } });
        assert.deepEqual(runPreflight([tg, service]), [], "a target type not known yet");
    });

    it("reports a target group of another type on the services that use it, not on other resources that depend on it", () => {
        const tg = record(T.targetGroup, { targetType: "instance" }, { urn: "urn:tg", name: "tg" });
        const listener = record(T.listener, { port: 80, protocol: "HTTP" }, { urn: "urn:l", name: "l", propertyDependencies: { loadBalancers: ["urn:tg"] } });
        assert.deepEqual(runPreflight([tg, listener]), []);
    });

    it("wants a policy document's statements, and names the key of a role policy's version", () => {
        assert.deepEqual(found(T.role, { assumeRolePolicy: { Version: "2012-10-17" } }), [["iam.role.trustPolicy", "assumeRolePolicy.Statement", "is empty: IAM refuses a policy without statements"]]);
        assert.deepEqual(found(T.rolePolicy, { policy: JSON.stringify({ Version: "2008-10-17", Statement: [{}] }) }), [["iam.rolePolicy.document", "policy.Version", '"2008-10-17" must be "2012-10-17" (the older version disables policy variables)']]);
    });

    it("says an HTTPS listener needs a certificate, and an HTTP one may not have one", () => {
        assert.deepEqual(found(T.listener, { protocol: "HTTPS", port: 443 }), [["elbv2.listener.certificate", "certificateArn", "is required for an HTTPS listener"]]);
        assert.deepEqual(found(T.listener, { protocol: "HTTP", port: 80, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1" }), [["elbv2.listener.certificate", "certificateArn", "applies to HTTPS and TLS listeners only, not HTTP"]]);
        assert.deepEqual(found(T.listener, { protocol: "HTTPS", port: 443, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }), []);
    });

    it("wants ELB ARNs of the right kind, wherever the kind's word appears in a name", () => {
        // A listener of a load balancer named "loadbalancer", and load balancers named "listener" and "targetgroup".
        const listenerOfLb = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/loadbalancer/50dc6c495c0c9188/0467ef3c8400ae65";
        const lbNamedListener = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/listener/50dc6c495c0c9188";
        const lbNamedTargetGroup = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/targetgroup/50dc6c495c0c9188";
        assert.deepEqual(found(T.listener, { loadBalancerArn: listenerOfLb, port: 80 }).map((f) => f[1]), ["loadBalancerArn"]);
        assert.deepEqual(
            found(T.listenerRule, { priority: 1, conditions: [{ pathPattern: { values: ["/a"] } }], listenerArn: lbNamedListener, actions: [{ targetGroupArn: lbNamedTargetGroup }] }).map((f) => f[1]),
            ["listenerArn", "actions[0].targetGroupArn"],
        );
    });

    it("names the second of any two sources or destinations of a security group rule", () => {
        assert.deepEqual(found(T.ingress, { ipProtocol: "-1", cidrIpv4: "10.0.0.0/8", referencedSecurityGroupId: "sg-1" }).map((f) => f[1]), ["referencedSecurityGroupId"]);
        assert.deepEqual(found(T.ingress, { ipProtocol: "-1", cidrIpv4: "10.0.0.0/8", prefixListId: "pl-1" }).map((f) => f[1]), ["prefixListId"]);
    });

    it("reports a condition problem at the host or path condition that holds it, past the tenth value too", () => {
        assert.deepEqual(found(T.listenerRule, { priority: 1, conditions: [{ pathPattern: { values: ["/a"] } }, { hostHeader: { values: ["bad host!"] } }] }), [
            ["elbv2.listenerRule.conditions", "conditions[1].hostHeader.values[0]", '"bad host!" has characters a host condition refuses; allowed: letters, digits, - . and the wildcards * and ?'],
        ]);
        const paths = [...Array.from({ length: 10 }, (_, i) => `/p${i}`), "nope"];
        assert.ok(found(T.listenerRule, { priority: 1, conditions: [{ pathPattern: { values: paths } }] }).some((f) => f[1] === "conditions[0].pathPattern.values[10]"));
        assert.deepEqual(found(T.listenerRule, { priority: 1, conditions: [null, { pathPattern: { values: ["/a"] } }] }), [], "a condition not known yet");
    });

    it("counts more than 100 rules on one listener once, as the load balancer's quota", () => {
        const rules = Array.from({ length: 101 }, (_, i) =>
            record(T.listenerRule, { priority: i + 1, conditions: [{ hostHeader: { values: [`h${i}.example.com`] } }] }, { urn: `urn:r${i}`, name: `r${i}`, propertyDependencies: { listenerArn: ["urn:l"] } }),
        );
        assert.deepEqual(runPreflight(rules).map((f) => [f.rule, f.resource]), [["elbv2.loadBalancer.rules", "r100"]]);
    });

    it("lets a rule with a header condition share a path with another rule of the listener, as a blue/green test rule does", () => {
        const rule = (name: string, priority: number, conditions: unknown[]) =>
            record(T.listenerRule, { listenerArn: LISTENER_ARN, priority, conditions }, { urn: `urn:${name}`, name, propertyDependencies: { priority: [] } });
        const production = rule("api", 10, [{ pathPattern: { values: ["/api/*"] } }]);
        const test = rule("api-test", 9, [{ pathPattern: { values: ["/api/*"] } }, { httpHeader: { httpHeaderName: "x-deployment-test", values: ["green"] } }]);
        assert.deepEqual(runPreflight([production, test]), []);
        const twin = rule("api-twin", 8, [{ pathPattern: { values: ["/api/*"] } }]);
        assert.deepEqual(runPreflight([production, twin]).map((f) => [f.rule, f.resource]), [["elbv2.listener.routing", "api-twin"]], "without the header, the same path is a conflict");
    });

    it("groups rules by their listener ARN when their dependencies say nothing of it", () => {
        const rule = (name: string) => record(T.listenerRule, { listenerArn: LISTENER_ARN, priority: 5, conditions: [{ pathPattern: { values: [`/${name}`] } }] }, { urn: `urn:${name}`, name, propertyDependencies: { priority: [] } });
        assert.deepEqual(runPreflight([rule("a"), rule("b")]).map((f) => [f.rule, f.resource, f.key]), [["elbv2.listener.routing", "b", "priority"]]);
    });
});

describe("preflight findings as the plan prints them", () => {
    it("give where the value came from, the resource, the input, the message, the rule and its source", () => {
        const [finding] = runPreflight([record(T.logGroup, { retentionInDays: 8 })], { origin: () => "Pulumi.dev.yaml: fargate-service:services.api" });
        assert.equal(finding.origin, "Pulumi.dev.yaml: fargate-service:services.api");
        assert.equal(
            describeFinding(finding),
            `Pulumi.dev.yaml: fargate-service:services.api: r (aws:cloudwatch/logGroup:LogGroup) retentionInDays: ${finding.message} [cloudwatch.logGroup.retention, https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html]`,
        );
        const [bare] = runPreflight([record(T.eventRule, {})]);
        assert.equal(describeFinding({ ...bare, key: undefined }), `r (aws:cloudwatch/eventRule:EventRule): or scheduleExpression is required [cloudwatch.eventRule.settings, ${bare.source}]`);
    });

    it("are listed in a Markdown table with a header, one row per rule", () => {
        const lines = preflightRuleTable().split("\n");
        assert.deepEqual(lines.slice(0, 2), ["| rule | resource type | what AWS requires | sources |", "| --- | --- | --- | --- |"]);
        assert.match(lines[2], /^\| `[A-Za-z0-9.]+` \| `[^`]+` \| .+ \| \[1\]\(https:\/\/[^)]+\)( \[\d\]\(https:\/\/[^)]+\))* \|$/);
        assert.equal(lines.filter((l) => l.includes("| `cloudwatch.logGroup.retention` |")).length, 1);
    });
});

describe("the preflight's naming rules", () => {
    const LB = T.loadBalancer;
    it("judge an explicit name as given, on its key", () => {
        assert.deepEqual(found(LB, { name: "api_lb", subnets: ["a", "b"] }), [["elbv2.loadBalancer.name", "name", '"api_lb" has characters AWS refuses ("_"); allowed: letters, digits and hyphens']]);
    });

    it("judge a name prefix with the 26 characters Terraform appends, on its key", () => {
        assert.deepEqual(found(LB, { namePrefix: "abcdef", subnets: ["a", "b"] }), []);
        assert.deepEqual(found(LB, { namePrefix: "abcdefg", subnets: ["a", "b"] }), [["elbv2.loadBalancer.name", "namePrefix", `"abcdefg${"0".repeat(26)}" has 33 characters; AWS allows 1 to 32`]]);
    });

    it("judge an auto-name from the logical name, and say so", () => {
        assert.deepEqual(runPreflight([record(LB, { subnets: ["a", "b"] }, { name: "My_Api" })]).map((f) => [f.key, f.message]), [
            [undefined, '"My_Api-0a1b2c3" has characters AWS refuses ("_"); allowed: letters, digits and hyphens (auto-named from the logical name "My_Api")'],
        ]);
    });

    it("judge nothing for a name that is not auto-named and not given, or given as something other than text", () => {
        assert.deepEqual(runPreflight([record("aws:cloudwatch/dashboard:Dashboard", {}, { name: "bad name!" })]), []);
        assert.deepEqual(runPreflight([record(LB, { name: 5, subnets: ["a", "b"] }, { name: "bad name!" })]), []);
    });
});

describe("the error a program stops with on a preflight finding", () => {
    it("names the resource, lists each finding as the plan prints it, and counts them", () => {
        const findings = runPreflight([record(T.queue, { delaySeconds: 901, receiveWaitTimeSeconds: 21 })]);
        const error = new PreflightError(findings);
        assert.equal(error.name, "PreflightError");
        assert.equal(error.source, "r (aws:sqs/queue:Queue)");
        assert.deepEqual(error.problems, [
            { path: "delaySeconds", message: `901 s is outside 0–900 s [sqs.queue.attributes, ${findings[0].source}]` },
            { path: "receiveWaitTimeSeconds", message: `21 s is outside 0–20 s [sqs.queue.attributes, ${findings[0].source}]` },
        ]);
        assert.equal(error.message, `2 settings AWS would refuse (preflight), nothing was sent to AWS for this resource:\n${findings.map((f) => `  ${describeFinding(f)}`).join("\n")}`);
        const one = new PreflightError([{ ...findings[0], key: undefined }]);
        assert.match(one.message, /^1 setting AWS would refuse/);
        assert.equal(one.problems[0].path, "(resource)");
        assert.equal(new PreflightError([]).source, "preflight");
    });
});
