import * as assert from "node:assert/strict";
import { CostLine, DEFAULT_COST_ASSUMPTIONS, estimateCost, price, priceSource } from "../analysis/costModel";
import { StackGraph, StackResource, T } from "../analysis/stackResources";

/**
 * Every line of the cost estimate for two small graphs, worked out by hand: 730 hours a month,
 * the default assumptions unless a test changes one, the prices of analysis/data/awsPrices.ts.
 */

function r(type: string, name: string, inputs: Record<string, any> = {}, props: Record<string, StackResource[]> = {}, custom = true): StackResource {
    return { urn: `urn:${type}::${name}`, type, name, custom, inputs, propertyDependencies: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.map((x) => x.urn)])), dependencies: [], options: {} };
}

type Expected = [category: string, item: string, resource: string | undefined, quantity: number, unit: string, priceKey: string, unitPriceUsd: number];

function assertLines(lines: CostLine[], expected: Expected[]): void {
    assert.deepEqual(
        lines.map((l) => [l.category, l.item, l.resource, l.quantity, l.unit, l.priceKey]),
        expected.map(([category, item, resource, quantity, unit, priceKey]) => [category, item, resource, quantity, unit, priceKey]),
    );
    lines.forEach((line, i) => {
        const unitPrice = expected[i][6];
        assert.ok(Math.abs(line.unitPriceUsd - unitPrice) < 1e-9, `${line.item}: unit price ${line.unitPriceUsd} ≠ ${unitPrice}`);
        assert.ok(Math.abs(line.monthlyUsd - line.quantity * unitPrice) < 0.01, `${line.item}: ${line.monthlyUsd} ≠ ${line.quantity} × ${unitPrice}`);
    });
}

const spot = 1 - DEFAULT_COST_ASSUMPTIONS.spotDiscount;
const x86 = (vcpu: number, gb: number) => vcpu * price("fargate.x86.vcpuHour") + gb * price("fargate.x86.gbHour");

describe("cost lines", () => {
    it("prices an ARM64 queue worker with public IPs, VPC endpoints, secrets, scheduled and event-driven runs and alerts", () => {
        const logGroup = r(T.logGroup, "logs", {});
        const queue = r(T.queue, "jobs");
        const td = r(T.taskDefinition, "worker-td", { cpu: "1024", memory: "2048", runtimePlatform: { cpuArchitecture: "ARM64" }, containerDefinitions: JSON.stringify([{ name: "w", secrets: [{ name: "A", valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::" }, { name: "B", valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:user::" }, { name: "C", valueFrom: "arn:aws:ssm:eu-west-1:123456789012:parameter/x" }] }]) }, { containerDefinitions: [logGroup, queue] });
        const svc = r(T.service, "worker", { desiredCount: 2, networkConfiguration: { assignPublicIp: true } }, { taskDefinition: [td] });
        const ep = r(T.vpcEndpoint, "ep", { vpcEndpointType: "Interface", subnetIds: ["a", "b", "c"] });
        const ep2 = r(T.vpcEndpoint, "ep2", { vpcEndpointType: "Interface" });
        const gw = r(T.vpcEndpoint, "s3", { vpcEndpointType: "Gateway" });
        const std = r(T.taskDefinition, "report-td", { cpu: "256", memory: "512" });
        const sched = r(T.schedule, "report", { scheduleExpression: "rate(1 hour)", target: { ecsParameters: { capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] } } }, { target: [std] });
        const off = r(T.schedule, "off", { scheduleExpression: "rate(1 minute)", state: "DISABLED" }, { target: [std] });
        const rule = r(T.eventRule, "rule", { eventPattern: JSON.stringify({ source: ["myapp.orders"] }) });
        const target = r(T.eventTarget, "thumb", { ecsTarget: { capacityProviderStrategies: [] } }, { ecsTarget: [std], rule: [rule] });
        const awsRule = r(T.eventRule, "awsrule", { eventPattern: { source: "aws.s3" } });
        const awsTarget = r(T.eventTarget, "s3evt", { ecsTarget: {} }, { ecsTarget: [std], rule: [awsRule] });
        const snsTarget = r(T.eventTarget, "sns", {});
        const cluster = r(T.cluster, "main", { settings: [{ name: "containerInsights", value: "enabled" }] });
        const cluster2 = r(T.cluster, "quiet", { settings: [{ name: "containerInsights", value: "disabled" }] });
        const alarm = r(T.metricAlarm, "a1");
        const pol = r(T.scalingPolicy, "p", { policyType: "TargetTrackingScaling" });
        const pol2 = r(T.scalingPolicy, "p2", { policyType: "StepScaling" });
        const dash = r(T.dashboard, "d");
        const topic = r(T.topic, "alerts");
        const sub = r(T.topicSubscription, "mail", { protocol: "email" }, { topic: [topic] });
        const sub2 = r(T.topicSubscription, "hook", { protocol: "https" }, { topic: [topic] });
        const g = new StackGraph([logGroup, queue, td, svc, ep, ep2, gw, std, sched, off, rule, target, awsRule, awsTarget, snsTarget, cluster, cluster2, alarm, pol, pol2, dash, topic, sub, sub2]);
        const cost = estimateCost(g, { eventRunsPerMonth: 2000, notificationsPerMonth: 10 });
        assertLines(cost.lines, [
            ["Fargate", "Fargate on-demand ARM64: 2 tasks × 1 vCPU (vCPU)", "worker", 1460, "vCPU-hours", "fargate.arm.vcpuHour", price("fargate.arm.vcpuHour")],
            ["Fargate", "Fargate on-demand ARM64: 2 tasks × 1 vCPU (2 GB memory)", "worker", 2920, "GB-hours", "fargate.arm.gbHour", price("fargate.arm.gbHour")],
            ["Network", "Public IPv4 addresses (0 load balancer, 0 NAT, 2 task)", undefined, 1460, "address-hours", "publicIpv4.hour", price("publicIpv4.hour")],
            ["Network", "Interface VPC endpoints (2 × their zones)", undefined, 5 * 730, "endpoint-AZ-hours", "vpcEndpoint.azHour", price("vpcEndpoint.azHour")],
            ["Network", "VPC endpoint data processed", undefined, 20, "GB", "vpcEndpoint.gb", price("vpcEndpoint.gb")],
            ["Logs", "CloudWatch Logs ingestion (2 tasks × 1 GB)", "worker", 2, "GB", "logs.ingestGb", price("logs.ingestGb")],
            ["Logs", "CloudWatch Logs storage (never expire kept)", "worker", 24, "GB-months", "logs.storageGbMonth", price("logs.storageGbMonth")],
            ["Secrets", "Secrets Manager secrets read by tasks (1)", undefined, 1, "secret-months", "secretsManager.secretMonth", price("secretsManager.secretMonth")],
            // 1 million messages × 3 requests, and 2 workers long-polling every 20 s: 2 × 3 × 60 × 730.
            ["Queues", "SQS requests (3.26 million)", undefined, 3.263, "million requests", "sqs.millionRequests", price("sqs.millionRequests")],
            ["Fargate", "Fargate Spot runs: 730 a month × 5 min × 0.25 vCPU / 0.5 GB", "report", 60.833, "task-hours", "fargate.x86.vcpuHour", x86(0.25, 0.5) * spot],
            ["Events", "EventBridge Scheduler invocations (730 a month)", undefined, 0.001, "million invocations", "scheduler.millionInvocations", price("scheduler.millionInvocations")],
            ["Fargate", "Fargate on-demand runs: 2000 a month × 5 min × 0.25 vCPU / 0.5 GB", "thumb", 166.667, "task-hours", "fargate.x86.vcpuHour", x86(0.25, 0.5)],
            ["Events", "EventBridge custom events", "thumb", 0.002, "million events", "eventbridge.millionCustomEvents", price("eventbridge.millionCustomEvents")],
            ["Fargate", "Fargate on-demand runs: 2000 a month × 5 min × 0.25 vCPU / 0.5 GB", "s3evt", 166.667, "task-hours", "fargate.x86.vcpuHour", x86(0.25, 0.5)],
            ["Monitoring", "CloudWatch alarms (1 defined + 2 created by target tracking)", undefined, 3, "alarm-months", "cloudwatch.alarmMonth", price("cloudwatch.alarmMonth")],
            ["Monitoring", "CloudWatch dashboards (1)", undefined, 1, "dashboard-months", "cloudwatch.dashboardMonth", price("cloudwatch.dashboardMonth")],
            ["Monitoring", "SNS publishes (10 a month)", undefined, 0, "million publishes", "sns.millionPublishes", price("sns.millionPublishes")],
            ["Monitoring", "SNS e-mail notifications (10 a month)", undefined, 0.01, "1,000 e-mails", "sns.emailThousand", price("sns.emailThousand")],
            // Container Insights on "main": 12 metrics for the cluster, the service and the two task families; performance logs of 2 tasks.
            ["Monitoring", "Container Insights metrics (12 × (1 cluster + 1 services + 2 task families))", "main", 48, "metric-months", "cloudwatch.metricMonth", price("cloudwatch.metricMonth")],
            ["Monitoring", "Container Insights performance logs (2 tasks × 0.1 GB)", "main", 0.2, "GB", "logs.ingestGb", price("logs.ingestGb")],
            // Each free tier once, in the order its price first appears.
            ["Free tier", "Free tier of GB ingested: 5 GB free a month per account (2.2 used)", undefined, -2.2, "GB ingested", "logs.ingestGb", price("logs.ingestGb")],
            ["Free tier", "Free tier of million requests: 1 million free a month per account (3.263 used)", undefined, -1, "million requests", "sqs.millionRequests", price("sqs.millionRequests")],
            ["Free tier", "Free tier of million invocations: 14 million free a month per account (0.001 used)", undefined, -0.001, "million invocations", "scheduler.millionInvocations", price("scheduler.millionInvocations")],
            ["Free tier", "Free tier of standard-resolution alarm-month: 10 free a month per account (3 used)", undefined, -3, "standard-resolution alarm-month", "cloudwatch.alarmMonth", price("cloudwatch.alarmMonth")],
            ["Free tier", "Free tier of dashboard-month: 3 free a month per account (1 used)", undefined, -1, "dashboard-month", "cloudwatch.dashboardMonth", price("cloudwatch.dashboardMonth")],
            ["Free tier", "Free tier of 1,000 e-mail notifications: 1,000 free a month per account (0.01 used)", undefined, -0.01, "1,000 e-mail notifications", "sns.emailThousand", price("sns.emailThousand")],
            ["Free tier", "Free tier of custom metric-month: 10 free a month per account (48 used)", undefined, -10, "custom metric-month", "cloudwatch.metricMonth", price("cloudwatch.metricMonth")],
        ]);
        assert.deepEqual(
            cost.notPriced.map((n) => n.item),
            ["Secrets Manager API calls"],
        );
        assert.ok(Math.abs(cost.monthlyUsd - cost.lines.reduce((sum, l) => sum + l.monthlyUsd, 0)) < 0.01);
        assert.equal(cost.assumptions.eventRunsPerMonth, 2000);
        assert.equal(cost.assumptions.taskRunMinutes, DEFAULT_COST_ASSUMPTIONS.taskRunMinutes);
        assert.match(cost.prices.region, /^[a-z]{2}-[a-z]+-\d$/);
    });

    it("prices x86 services split between on-demand and Spot, load balancers, a NAT gateway, log retention and a repository", () => {
        const vpc = r(T.awsxVpc, "net", { natGateways: { strategy: "Single" } }, {}, false);
        const lb = r(T.loadBalancer, "public", { subnets: ["a", "b", "c"] });
        const internal = r(T.loadBalancer, "internal", { internal: true, subnets: ["a", "b"] });
        const listener = r(T.listener, "https", {}, { loadBalancerArn: [lb] });
        const rules = Array.from({ length: 12 }, (_, i) => r(T.listenerRule, `rule${i}`, {}, { listenerArn: [listener] }));
        const logGroup = r(T.logGroup, "logs", { retentionInDays: 30 });
        const td = r(T.taskDefinition, "api-td", { cpu: "512", memory: "1024" }, { containerDefinitions: [logGroup] });
        const api = r(T.service, "api", { desiredCount: 2, capacityProviderStrategies: [{ capacityProvider: "FARGATE", base: 1, weight: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 1 }] }, { taskDefinition: [td] });
        const one = r(T.service, "one", { desiredCount: 1 }, { taskDefinition: [td] });
        const repo = r(T.repository, "repo");
        const cost = estimateCost(new StackGraph([vpc, lb, internal, listener, ...rules, logGroup, td, api, one, repo]), { requestsPerSecond: 100, averageResponseKb: 1 });
        assertLines(cost.lines, [
            ["Fargate", "Fargate on-demand x86: 1.5 tasks × 0.5 vCPU (vCPU)", "api", 547.5, "vCPU-hours", "fargate.x86.vcpuHour", price("fargate.x86.vcpuHour")],
            ["Fargate", "Fargate on-demand x86: 1.5 tasks × 0.5 vCPU (1 GB memory)", "api", 1095, "GB-hours", "fargate.x86.gbHour", price("fargate.x86.gbHour")],
            ["Fargate", "Fargate Spot x86: 0.5 tasks × 0.5 vCPU (vCPU)", "api", 182.5, "vCPU-hours", "fargate.x86.vcpuHour", price("fargate.x86.vcpuHour") * spot],
            ["Fargate", "Fargate Spot x86: 0.5 tasks × 0.5 vCPU (1 GB memory)", "api", 365, "GB-hours", "fargate.x86.gbHour", price("fargate.x86.gbHour") * spot],
            ["Fargate", "Fargate on-demand x86: 1 task × 0.5 vCPU (vCPU)", "one", 365, "vCPU-hours", "fargate.x86.vcpuHour", price("fargate.x86.vcpuHour")],
            ["Fargate", "Fargate on-demand x86: 1 task × 0.5 vCPU (1 GB memory)", "one", 730, "GB-hours", "fargate.x86.gbHour", price("fargate.x86.gbHour")],
            ["Load balancing", "Application Load Balancer hours", "public", 730, "hours", "alb.hour", price("alb.hour")],
            // 100 new connections a second at 25 per LCU: 4 LCUs.
            ["Load balancing", "Load balancer capacity units (100 req/s, 1 KB, 10 s connections, 12 rules)", "public", 2920, "LCU-hours", "alb.lcuHour", price("alb.lcuHour")],
            // 100 responses of 1 KB a second for 730 hours leave through the internet-facing one.
            ["Data transfer", "Internet data transfer out (100 req/s × 1 KB)", "public", 250.626, "GB", "dataTransfer.internetOutGb", price("dataTransfer.internetOutGb")],
            ["Load balancing", "Application Load Balancer hours", "internal", 730, "hours", "alb.hour", price("alb.hour")],
            ["Load balancing", "Load balancer capacity units (100 req/s, 1 KB, 10 s connections, 0 rules)", "internal", 2920, "LCU-hours", "alb.lcuHour", price("alb.lcuHour")],
            ["Network", "NAT gateway hours (1)", undefined, 730, "hours", "nat.hour", price("nat.hour")],
            ["Network", "NAT gateway data processed", undefined, 50, "GB", "nat.gb", price("nat.gb")],
            // The internet-facing load balancer's three subnets and the NAT gateway; not the internal one.
            ["Network", "Public IPv4 addresses (3 load balancer, 1 NAT, 0 task)", undefined, 2920, "address-hours", "publicIpv4.hour", price("publicIpv4.hour")],
            ["Logs", "CloudWatch Logs ingestion (2 tasks × 1 GB)", "api", 2, "GB", "logs.ingestGb", price("logs.ingestGb")],
            ["Logs", "CloudWatch Logs storage (30 days kept)", "api", 1.974, "GB-months", "logs.storageGbMonth", price("logs.storageGbMonth")],
            ["Logs", "CloudWatch Logs ingestion (1 task × 1 GB)", "one", 1, "GB", "logs.ingestGb", price("logs.ingestGb")],
            ["Logs", "CloudWatch Logs storage (30 days kept)", "one", 0.987, "GB-months", "logs.storageGbMonth", price("logs.storageGbMonth")],
            ["Storage", "ECR storage (1 repository)", undefined, 2, "GB-months", "ecr.storageGbMonth", price("ecr.storageGbMonth")],
            ["Free tier", "Free tier of GB out to the internet: 100 GB free a month per account (250.626 used)", undefined, -100, "GB out to the internet", "dataTransfer.internetOutGb", price("dataTransfer.internetOutGb")],
            ["Free tier", "Free tier of GB ingested: 5 GB free a month per account (3 used)", undefined, -3, "GB ingested", "logs.ingestGb", price("logs.ingestGb")],
        ]);
        assert.deepEqual(cost.notPriced.map((n) => n.item), []);
    });

    it("counts repositories in the plural, and prices nothing at all for an empty stack but data transfer", () => {
        const two = estimateCost(new StackGraph([r(T.repository, "a"), r(T.repository, "b")]));
        assert.deepEqual(two.lines.map((l) => [l.item, l.quantity]), [["ECR storage (2 repositories)", 4]]);
        const empty = estimateCost(new StackGraph([]));
        assert.deepEqual(empty.lines, []);
        assert.equal(empty.monthlyUsd, 0);
    });

    it("charges SQS requests beyond the free million only: the gross line, then the free tier taken off once", () => {
        const queue = r(T.queue, "q");
        const td = r(T.taskDefinition, "td", {}, { containerDefinitions: [queue] });
        const svc = r(T.service, "w", { desiredCount: 0 }, { taskDefinition: [td] });
        const lines = (messages: number) => estimateCost(new StackGraph([queue, td, svc]), { queueMessagesPerMonth: messages }).lines.filter((l) => l.priceKey === "sqs.millionRequests");
        assert.deepEqual(lines(100_000).map((l) => [l.item, l.quantity]), [["SQS requests (0.30 million)", 0.3], ["Free tier of million requests: 1 million free a month per account (0.3 used)", -0.3]]);
        assert.deepEqual(lines(1_000_000).map((l) => l.quantity), [3, -1]);
        assert.equal(estimateCost(new StackGraph([td])).lines.find((l) => l.category === "Queues"), undefined);
    });

    it("names the source and date of every price", () => {
        assert.ok(priceSource("alb.hour").source.length > 0);
        assert.match(priceSource("alb.hour").date, /^\d{4}/);
    });
});

describe("cost lines of what other tests leave out", () => {
    it("keeps access logs forever without a lifecycle expiry, and counts one PUT per node every 5 minutes", () => {
        const lb = r(T.loadBalancer, "alb", { accessLogs: { enabled: true, bucket: "logs" }, subnets: ["a", "b", "c"] });
        const { lines } = estimateCost(new StackGraph([lb]));
        const a = DEFAULT_COST_ASSUMPTIONS;
        const storage = lines.filter((l) => l.priceKey === "s3.storageGbMonth" || l.priceKey === "s3.thousandPuts").map((l) => [l.category, l.item, l.resource, l.unit]);
        assert.deepEqual(storage, [
            ["Storage", `S3 access-log storage (${a.requestsPerSecond} req/s × ${a.accessLogBytesPerRequest} B, never expire kept)`, "alb", "GB-months"],
            ["Storage", "S3 access-log PUTs (3 nodes × 12 an hour)", "alb", "1,000 PUTs"],
        ]);
        const puts = lines.find((l) => l.priceKey === "s3.thousandPuts")!;
        assert.equal(puts.quantity, (3 * 12 * a.hoursPerMonth) / 1000);
    });

    it("lists Container Insights enhanced observability as not priced, beside the metrics it does price", () => {
        const cluster = r(T.cluster, "main", { settings: [{ name: "containerInsights", value: "enhanced" }] });
        const estimate = estimateCost(new StackGraph([cluster]));
        assert.ok(estimate.lines.some((l) => l.item.startsWith("Container Insights metrics") && l.resource === "main"));
        assert.ok(estimate.notPriced.some((n) => n.item === "Container Insights enhanced observability on main"));
        const enabled = estimateCost(new StackGraph([r(T.cluster, "main", { settings: [{ name: "containerInsights", value: "enabled" }] })]));
        assert.ok(enabled.lines.some((l) => l.item.startsWith("Container Insights metrics")));
        assert.ok(!enabled.notPriced.some((n) => n.item.startsWith("Container Insights enhanced")));
    });

    it("names a shared load balancer that the stack's rules sit on, counting its rules", () => {
        const shared = (count: number) => estimateCost(new StackGraph(Array.from({ length: count }, (_, i) => r(T.listenerRule, `rule${i}`, { listenerArn: "arn:shared" })))).notPriced.map((n) => n.item);
        assert.ok(shared(1).includes("A shared load balancer (1 rule on its listener)"), String(shared(1)));
        assert.ok(shared(2).includes("A shared load balancer (2 rules on its listener)"), String(shared(2)));
        // The stack's own load balancer is priced, not listed.
        const own = estimateCost(new StackGraph([r(T.loadBalancer, "alb", { subnets: ["a", "b"] }), r(T.listenerRule, "rule", { listenerArn: "arn:shared" })]));
        assert.ok(!own.notPriced.some((n) => n.item.startsWith("A shared load balancer")));
    });
});
