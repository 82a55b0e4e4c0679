import * as assert from "node:assert/strict";
import { AWS_PRICES as prices } from "../analysis/data/awsPrices";
import type { PlanDocument } from "../plan/plan";
import { REFERENCE_WORKLOAD, projectRoot, stackDirectory } from "./planFixtures";

/**
 * Every line of the estimate worked out again from the plan's resources and the price table alone,
 * without the cost model's code: if a line is dropped, double-counted or priced at the wrong rate,
 * the sums per price below differ.
 */

type Resource = PlanDocument["resources"][number];
type Inputs = Record<string, any>;
const P = prices.prices as Record<string, { usd: number; freePerMonth?: number }>;
const usd = (key: string) => P[key].usd;

const json = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);
const ofType = (plan: PlanDocument, suffix: string) => plan.resources.filter((r) => r.type.endsWith(suffix));
const inputs = (r: Resource) => r.inputs as Inputs;
const serviceOf = (resourceId: unknown, service: Resource) => typeof resourceId === "string" && resourceId.split("/").pop()!.replace(/-[0-9a-f]{7}$/, "") === service.name;

/** Tasks running, hour by hour over four weeks, when scheduled actions set [min, max] (whole-hour cron only). */
function scheduledTaskHours(start: number, range: { min: number; max: number }, actions: Inputs[], hoursPerMonth: number): number {
    const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const fires = (action: Inputs, utc: Date) => {
        const [minute, hour, , , dow] = /cron\((.*)\)/.exec(action.schedule)![1].split(" ");
        const local = new Intl.DateTimeFormat("en-GB", { timeZone: action.timezone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(utc);
        const part = (type: string) => local.find((p) => p.type === type)!.value;
        const [from, to] = dow.split("-").map((d: string) => days.indexOf(d[0] + d.slice(1).toLowerCase()));
        const day = days.indexOf(part("weekday"));
        return Number(part("minute")) === Number(minute) && Number(part("hour")) === Number(hour) && (dow === "*" || (day >= from && day <= (to ?? from)));
    };
    let { min, max } = range;
    let tasks = Math.min(Math.max(start, min), max);
    let taskHours = 0;
    // A week to settle, then four weeks from Monday 2026-01-05.
    for (let t = Date.UTC(2025, 11, 29); t < Date.UTC(2026, 1, 2); t += 3_600_000) {
        for (const action of actions) {
            if (!fires(action, new Date(t))) continue;
            min = action.scalableTargetAction.minCapacity;
            max = action.scalableTargetAction.maxCapacity;
            tasks = Math.min(Math.max(tasks, min), max);
        }
        if (t >= Date.UTC(2026, 0, 5)) taskHours += tasks;
    }
    return (taskHours * hoursPerMonth) / (28 * 24);
}

/** Expected monthly dollars per price key. */
function rederive(plan: PlanDocument): Map<string, number> {
    const a = plan.cost.assumptions;
    const out = new Map<string, number>();
    const add = (key: string, quantity: number, unitPrice = usd(key)) => out.set(key, (out.get(key) ?? 0) + quantity * unitPrice);
    const quantities = new Map<string, number>();
    const count = (key: string, quantity: number) => quantities.set(key, (quantities.get(key) ?? 0) + quantity);
    const H = a.hoursPerMonth;

    const defaults = ofType(plan, "ClusterCapacityProviders")[0] ? inputs(ofType(plan, "ClusterCapacityProviders")[0]).defaultCapacityProviderStrategies : [];
    const runningTasks = new Map<string, number>();
    for (const service of ofType(plan, "ecs/service:Service")) {
        const s = inputs(service);
        const family = String(s.taskDefinition).split("/").pop()!.split(":")[0];
        const td = inputs(ofType(plan, "TaskDefinition").find((t) => inputs(t).family === family)!);
        const arch = td.runtimePlatform?.cpuArchitecture === "ARM64" ? "arm" : "x86";
        const vcpu = Number(td.cpu) / 1024;
        const gb = Number(td.memory) / 1024;
        const target = ofType(plan, "appautoscaling/target:Target").find((t) => serviceOf(inputs(t).resourceId, service));
        const range = { min: inputs(target!).minCapacity, max: inputs(target!).maxCapacity };
        const actions = ofType(plan, "ScheduledAction").filter((x) => serviceOf(inputs(x).resourceId, service)).map(inputs);
        const steps = ofType(plan, "appautoscaling/policy:Policy").filter((p) => serviceOf(inputs(p).resourceId, service) && inputs(p).policyType === "StepScaling");
        const down = steps.find((p) => inputs(p).stepScalingPolicyConfiguration.stepAdjustments[0].scalingAdjustment === 0);
        let taskHours = s.desiredCount * H;
        if (actions.length > 0) taskHours = scheduledTaskHours(s.desiredCount, range, actions, H);
        if (down && range.min === 0) {
            const up = steps.find((p) => p !== down)!;
            const idle = inputs(ofType(plan, "MetricAlarm").find((m) => (inputs(m).alarmActions as string[]).some((arn) => arn.includes(`:${down.name}-`)))!);
            const idleMinutes = idle.evaluationPeriods; // one-minute periods
            const perMinute = a.queueMessagesPerMonth / (H * 60);
            taskHours = H * (1 - Math.exp(-perMinute * idleMinutes)) * inputs(up).stepScalingPolicyConfiguration.stepAdjustments[0].scalingAdjustment;
        }
        runningTasks.set(service.name, taskHours / H);
        // Tasks above the on-demand base split by weight.
        const strategy: Inputs[] = s.capacityProviderStrategies ?? defaults;
        const tasks = Math.max(s.desiredCount, taskHours / H);
        const base = Math.min(tasks, strategy.filter((i) => i.capacityProvider === "FARGATE").reduce((n, i) => n + (i.base ?? 0), 0));
        const weight = (p: string) => strategy.filter((i) => i.capacityProvider === p).reduce((n, i) => n + (i.weight ?? 0), 0);
        const spotShare = tasks > 0 ? ((tasks - base) * weight("FARGATE_SPOT")) / (weight("FARGATE") + weight("FARGATE_SPOT")) / tasks : 0;
        const rate = (1 - spotShare) + spotShare * (1 - a.spotDiscount);
        add(`fargate.${arch}.vcpuHour`, taskHours * vcpu * rate);
        add(`fargate.${arch}.gbHour`, taskHours * gb * rate);

        const logs = (taskHours / H) * a.logGbPerTaskMonth;
        count("logs.ingestGb", logs);
        const group = ofType(plan, "LogGroup").find((g) => String(td.containerDefinitions).includes(`"awslogs-group":"${inputs(g).namePrefix}`));
        const days = inputs(group!).retentionInDays;
        add("logs.storageGbMonth", logs * (days / 30.4));
    }

    const lbs = ofType(plan, "lb/loadBalancer:LoadBalancer");
    for (const lb of lbs) {
        add("alb.hour", H);
        const rules = ofType(plan, "ListenerRule").length;
        const lcu = Math.max(a.requestsPerSecond / 25, (a.requestsPerSecond * a.connectionSeconds) / 3000, (a.requestsPerSecond * a.averageResponseKb * 3600) / 2 ** 20, (a.requestsPerSecond * Math.max(0, rules - 10)) / 1000);
        add("alb.lcuHour", lcu * H);
        count("dataTransfer.internetOutGb", (a.requestsPerSecond * a.averageResponseKb * H * 3600) / 2 ** 20);
        if (inputs(lb).accessLogs?.enabled) {
            const expiry = inputs(ofType(plan, "BucketLifecycleConfiguration")[0]).rules[0].expiration.days;
            add("s3.storageGbMonth", ((a.requestsPerSecond * H * 3600 * a.accessLogBytesPerRequest) / 2 ** 30) * (expiry / 30.4));
            add("s3.thousandPuts", (inputs(lb).subnets.length * 12 * H) / 1000);
        }
    }

    // awsx's Vpc shows as one resource with a NAT strategy; the dual-stack VPC's NAT gateways are resources of their own.
    const awsxVpc = ofType(plan, "awsx:ec2:Vpc")[0];
    const nats = awsxVpc
        ? { None: 0, Single: 1, OnePerAz: inputs(awsxVpc).numberOfAvailabilityZones }[inputs(awsxVpc).natGateways.strategy as string]!
        : ofType(plan, "ec2/natGateway:NatGateway").length;
    add("nat.hour", nats * H);
    if (nats > 0) add("nat.gb", a.natDataGbPerMonth);
    const taskIps = ofType(plan, "ecs/service:Service").filter((s) => inputs(s).networkConfiguration.assignPublicIp).reduce((n, s) => n + runningTasks.get(s.name)!, 0);
    const lbIps = lbs.filter((lb) => !inputs(lb).internal && inputs(lb).ipAddressType !== "dualstack-without-public-ipv4").reduce((n, lb) => n + inputs(lb).subnets.length, 0);
    add("publicIpv4.hour", (lbIps + nats + taskIps) * H);

    add("ecr.storageGbMonth", ofType(plan, "ecr/repository:Repository").length * a.ecrGbPerRepository);
    const secrets = new Set(ofType(plan, "TaskDefinition").flatMap((t) => json(inputs(t).containerDefinitions).flatMap((c: Inputs) => (c.secrets ?? []).map((x: Inputs) => x.valueFrom))).filter((v: string) => v.includes(":secretsmanager:")));
    add("secretsManager.secretMonth", secrets.size);

    // Queues: 3 requests per message, and 3 long polls a minute for each running worker task.
    for (const service of ofType(plan, "ecs/service:Service")) {
        const family = String(inputs(service).taskDefinition).split("/").pop()!.split(":")[0];
        const td = inputs(ofType(plan, "TaskDefinition").find((t) => inputs(t).family === family)!);
        if (String(td.containerDefinitions).includes("QUEUE_URL")) count("sqs.millionRequests", (a.queueMessagesPerMonth * 3 + runningTasks.get(service.name)! * H * 180) / 1e6);
    }
    for (const schedule of ofType(plan, "scheduler/schedule:Schedule")) {
        const s = inputs(schedule);
        // Daily at a fixed time in the fixtures: 730 / 24 runs a month.
        assert.match(s.scheduleExpression, /^cron\(\d+ \d+ \* \* \? \*\)$/);
        const runs = 730 / 24;
        count("scheduler.millionInvocations", runs / 1e6);
        const family = String(s.target.ecsParameters.taskDefinitionArn).split("/").pop()!.split(":")[0];
        const td = inputs(ofType(plan, "TaskDefinition").find((t) => inputs(t).family === family)!);
        const arch = td.runtimePlatform?.cpuArchitecture === "ARM64" ? "arm" : "x86";
        const spot = (s.target.ecsParameters.capacityProviderStrategies as Inputs[]).some((i) => i.capacityProvider === "FARGATE_SPOT" && i.weight > 0) && !(s.target.ecsParameters.capacityProviderStrategies as Inputs[]).some((i) => i.capacityProvider === "FARGATE" && (i.weight > 0 || i.base > 0));
        const perHour = (Number(td.cpu) / 1024) * usd(`fargate.${arch}.vcpuHour`) + (Number(td.memory) / 1024) * usd(`fargate.${arch}.gbHour`);
        add(`fargate.${arch}.vcpuHour`, (runs * a.taskRunMinutes) / 60, perHour * (spot ? 1 - a.spotDiscount : 1));
    }

    const tracking = ofType(plan, "appautoscaling/policy:Policy").filter((p) => inputs(p).policyType === "TargetTrackingScaling").length;
    count("cloudwatch.alarmMonth", ofType(plan, "MetricAlarm").length + 2 * tracking);
    count("cloudwatch.dashboardMonth", ofType(plan, "Dashboard").length);
    const topics = ofType(plan, "sns/topic:Topic").length;
    if (topics > 0) {
        count("sns.millionPublishes", (topics * a.notificationsPerMonth) / 1e6);
        count("sns.emailThousand", (ofType(plan, "TopicSubscription").filter((t) => inputs(t).protocol === "email").length * a.notificationsPerMonth) / 1000);
    }
    const cluster = inputs(ofType(plan, "ecs/cluster:Cluster")[0]);
    if (cluster.settings?.some((x: Inputs) => x.name === "containerInsights" && x.value !== "disabled")) {
        const services = ofType(plan, "ecs/service:Service").length;
        count("cloudwatch.metricMonth", a.containerInsightsMetrics * (1 + services + ofType(plan, "TaskDefinition").length));
        count("logs.ingestGb", [...runningTasks.values()].reduce((n, t) => n + t, 0) * a.containerInsightsLogGbPerTaskMonth);
    }

    // One rule for free tiers: the allowance (in the lines' units) taken off the sum, once.
    const unitsPerLine: Record<string, number> = { "sqs.millionRequests": 1e6, "scheduler.millionInvocations": 1e6, "sns.millionPublishes": 1e6, "sns.emailThousand": 1000 };
    for (const [key, quantity] of quantities) {
        const allowance = ((P[key].freePerMonth ?? 0) / (unitsPerLine[key] ?? 1)) * a.freeTierShare;
        add(key, quantity - Math.min(quantity, allowance));
    }
    return out;
}

const sums = (plan: PlanDocument) => {
    const out = new Map<string, number>();
    for (const line of plan.cost.lines) out.set(line.priceKey, (out.get(line.priceKey) ?? 0) + line.monthlyUsd);
    return out;
};

let planStack: typeof import("../plan/plan").planStack;
before(async () => {
    ({ planStack } = await import("../plan/plan"));
});

describe("every line of the estimate, worked out again from the resources and the price table", () => {
    const cases: [string, () => Promise<PlanDocument>][] = [
        ["the dev stack (scheduled scaling, a queue worker at zero, Spot, public task IPs)", () => planStack(projectRoot, "dev")],
        ["the prod stack (NAT, access logs, Container Insights, alarms, e-mail)", () => planStack(projectRoot, "prod")],
        ["the prod stack with half the account's free tiers", () => planStack(projectRoot, "prod", { costAssumptions: { freeTierShare: 0.5, requestsPerSecond: 0.5 } })],
        ["a reference workload (a NAT gateway, a secret, an on-demand base)", () => planStack(stackDirectory("ref", REFERENCE_WORKLOAD), "ref")],
    ];
    for (const [name, plan] of cases) {
        it(`matches the estimate of ${name}, price by price`, async () => {
            const document = await plan();
            const expected = rederive(document);
            const actual = sums(document);
            // A price the estimate uses that the re-derivation does not, or the other way round, fails too.
            const keys = new Set([...expected.keys(), ...actual.keys()].filter((k) => Math.abs(expected.get(k) ?? 0) > 0.005 || Math.abs(actual.get(k) ?? 0) > 0.005));
            for (const key of keys) assert.ok(Math.abs((actual.get(key) ?? 0) - (expected.get(key) ?? 0)) < 0.02, `${key}: estimate $${(actual.get(key) ?? 0).toFixed(4)}, worked out $${(expected.get(key) ?? 0).toFixed(4)}`);
            const total = [...expected.values()].reduce((n, v) => n + v, 0);
            assert.ok(Math.abs(document.cost.monthlyUsd - total) < 0.05, `total: estimate $${document.cost.monthlyUsd}, worked out $${total.toFixed(2)}`);
        });
    }

    it("runs dev's API 282 hours a month: 07:00 to 20:00 Paris time, Monday to Friday", async () => {
        const dev = await planStack(projectRoot, "dev");
        const api = dev.cost.lines.filter((l) => l.resource === "dev-api" && l.unit === "vCPU-hours").reduce((n, l) => n + l.quantity, 0);
        // 13 hours × 5 days a week, × 730/168 weeks a month, × 0.25 vCPU.
        assert.ok(Math.abs(api - ((13 * 5 * 730) / 168) * 0.25) < 0.5, String(api));
    });
});
