import * as assert from "node:assert/strict";
import {
    accessLogExpiryDays,
    architectureOf,
    asList,
    containerDefinitions,
    containerInsightsOf,
    deregistrationDelayOf,
    desiredTasks,
    hasPublicIpv4,
    isIpv6OnlySubnet,
    loadBalancerZones,
    mainContainerOf,
    managedInstancesProviderOf,
    natGateways,
    onDemandBase,
    policyDocuments,
    publicIpv4Addresses,
    queueScaleToZero,
    scheduledScalingOf,
    strategyOf,
    targetGroupsOf,
    taskDefinitionOf,
    taskSize,
    taskSubnetsOf,
} from "../analysis/readers";
import { StackGraph, StackResource, T, jsonInput } from "../analysis/stackResources";
import { graphResource } from "./helpers";

/** What the analyses read out of resources, each reader on small hand-made resources. */

function r(type: string, inputs: Record<string, any> = {}, props: Record<string, StackResource[]> = {}, parent?: StackResource): StackResource {
    return graphResource(type, inputs, { props, parent, custom: type !== T.awsxVpc });
}

describe("readers: task definitions and containers", () => {
    it("reads container definitions from JSON text or a list, and nothing from anything else", () => {
        assert.deepEqual(containerDefinitions({ containerDefinitions: '[{"name":"app"}]' }), [{ name: "app" }]);
        assert.deepEqual(containerDefinitions({ containerDefinitions: [{ name: "app" }] }), [{ name: "app" }]);
        assert.deepEqual(containerDefinitions({ containerDefinitions: "{not json" }), []);
        assert.deepEqual(containerDefinitions({ containerDefinitions: '{"name":"app"}' }), []);
        assert.deepEqual(containerDefinitions(undefined), []);
    });

    it("parses JSON inputs, passes objects through and turns null into nothing", () => {
        assert.deepEqual(jsonInput('{"a":1}'), { a: 1 });
        assert.deepEqual(jsonInput({ a: 1 }), { a: 1 });
        assert.equal(jsonInput("nope"), undefined);
        assert.equal(jsonInput(null), undefined);
    });

    it("finds a service's task definition and target groups through the inputs they came from", () => {
        const td = r(T.taskDefinition);
        const tg = r(T.targetGroup);
        const other = r(T.role);
        const service = r(T.service, {}, { taskDefinition: [other, td], loadBalancers: [tg, other] });
        const graph = new StackGraph([td, tg, other, service]);
        assert.equal(taskDefinitionOf(graph, service), td);
        assert.deepEqual(targetGroupsOf(graph, service), [tg]);
        assert.equal(taskDefinitionOf(graph, r(T.service)), undefined);
    });

    it("takes the container the load balancer names, else the first essential one, else the first", () => {
        const td = r(T.taskDefinition, { containerDefinitions: [{ name: "log", essential: false }, { name: "app" }, { name: "web", essential: true }] });
        assert.equal(mainContainerOf(r(T.service, { loadBalancers: [{ containerName: "web" }] }), td)?.name, "web");
        assert.equal(mainContainerOf(r(T.service, { loadBalancers: [{ containerName: "gone" }] }), td)?.name, "app");
        assert.equal(mainContainerOf(r(T.service), r(T.taskDefinition, { containerDefinitions: [{ name: "a", essential: false }, { name: "b", essential: false }] }))?.name, "a");
        assert.equal(mainContainerOf(r(T.service), undefined), undefined);
        assert.equal(mainContainerOf(r(T.service, { loadBalancers: [] }), td)?.name, "app", "a service without load balancers");
    });

    it("counts the desired tasks, one when the count is not a number", () => {
        assert.equal(desiredTasks(r(T.service, { desiredCount: 0 })), 0);
        assert.equal(desiredTasks(r(T.service, { desiredCount: 4 })), 4);
        assert.equal(desiredTasks(r(T.service, { desiredCount: "4" })), 1);
        assert.equal(desiredTasks(r(T.service)), 1);
    });

    it("reads the architecture and the size, with Fargate's defaults", () => {
        assert.equal(architectureOf(r(T.taskDefinition, { runtimePlatform: { cpuArchitecture: "ARM64" } })), "ARM64");
        assert.equal(architectureOf(r(T.taskDefinition, { runtimePlatform: { cpuArchitecture: "X86_64" } })), "X86_64");
        assert.equal(architectureOf(undefined), "X86_64");
        assert.deepEqual(taskSize(r(T.taskDefinition, { cpu: "2048", memory: "4096" })), { vcpu: 2, memoryGb: 4 });
        assert.deepEqual(taskSize(undefined), { vcpu: 0.25, memoryGb: 0.5 });
    });

    it("takes a target group's deregistration delay, 300 s when unset", () => {
        assert.equal(deregistrationDelayOf(r(T.targetGroup, { deregistrationDelay: "30" })), 30);
        assert.equal(deregistrationDelayOf(r(T.targetGroup, { deregistrationDelay: 0 })), 0);
        assert.equal(deregistrationDelayOf(r(T.targetGroup)), 300);
    });
});

describe("readers: capacity", () => {
    const cluster = r(T.cluster);
    const defaults = [{ capacityProvider: "FARGATE_SPOT", weight: 1 }];

    it("takes a service's own strategy first", () => {
        const own = [{ capacityProvider: "FARGATE", weight: 1 }];
        const service = r(T.service, { capacityProviderStrategies: own }, { cluster: [cluster] });
        const providers = r(T.clusterCapacityProviders, { defaultCapacityProviderStrategies: defaults }, { clusterName: [cluster] });
        assert.deepEqual(strategyOf(new StackGraph([cluster, providers, service]), service), own);
    });

    it("falls back to the cluster's default strategy, found by the cluster or by its name", () => {
        const service = r(T.service, { capacityProviderStrategies: [] }, { cluster: [cluster] });
        const byName = r(T.clusterCapacityProviders, { defaultCapacityProviderStrategies: defaults }, { clusterName: [cluster] });
        assert.deepEqual(strategyOf(new StackGraph([cluster, byName, service]), service), defaults);
        const providers = r(T.clusterCapacityProviders, { defaultCapacityProviderStrategies: defaults });
        const onProviders = r(T.service, {}, { cluster: [providers] });
        assert.deepEqual(strategyOf(new StackGraph([providers, onProviders]), onProviders), defaults);
    });

    it("uses no strategy with a launch type, or when the cluster has no default", () => {
        const providers = r(T.clusterCapacityProviders, { defaultCapacityProviderStrategies: defaults }, { clusterName: [cluster] });
        const launched = r(T.service, { launchType: "FARGATE" }, { cluster: [cluster] });
        assert.deepEqual(strategyOf(new StackGraph([cluster, providers, launched]), launched), []);
        const elsewhere = r(T.service, {}, { cluster: [r(T.cluster)] });
        assert.deepEqual(strategyOf(new StackGraph([cluster, providers, elsewhere]), elsewhere), []);
        const noDefault = r(T.clusterCapacityProviders, {}, { clusterName: [cluster] });
        const service = r(T.service, {}, { cluster: [cluster] });
        assert.deepEqual(strategyOf(new StackGraph([cluster, noDefault, service]), service), []);
    });

    it("finds the Managed Instances capacity provider a service's strategy names, and no other provider", () => {
        const managed = r(T.capacityProvider, { managedInstancesProvider: { infrastructureRoleArn: "arn:aws:iam::123456789012:role/infra" } });
        const autoScaling = r(T.capacityProvider, { autoScalingGroupProvider: { autoScalingGroupArn: "arn" } });
        const unnamed = r(T.capacityProvider, { managedInstancesProvider: {} });
        const graph = (service: StackResource) => new StackGraph([unnamed, autoScaling, managed, service]);
        const onManaged = r(T.service, {}, { capacityProviderStrategies: [autoScaling, managed] });
        assert.equal(managedInstancesProviderOf(graph(onManaged), onManaged), managed);
        const onAutoScaling = r(T.service, {}, { capacityProviderStrategies: [autoScaling] });
        assert.equal(managedInstancesProviderOf(graph(onAutoScaling), onAutoScaling), undefined);
        const onFargate = r(T.service, { capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1 }] });
        assert.equal(managedInstancesProviderOf(graph(onFargate), onFargate), undefined);
    });

    it("adds up the on-demand bases, ignoring Spot's", () => {
        assert.equal(onDemandBase([{ capacityProvider: "FARGATE", base: 2 }, { capacityProvider: "FARGATE", base: 1 }, { capacityProvider: "FARGATE_SPOT", base: 5 }, { capacityProvider: "FARGATE" }]), 3);
        assert.equal(onDemandBase([]), 0);
    });
});

describe("readers: network", () => {
    it("counts NAT gateways shown as resources", () => {
        assert.deepEqual(natGateways(new StackGraph([r(T.natGateway), r(T.natGateway)])), { total: 2, byVpc: [] });
    });

    it("counts an awsx VPC's NAT gateways from its strategy and zones when its children are not shown", () => {
        const count = (inputs: Record<string, any>) => {
            const vpc = r(T.awsxVpc, inputs);
            const nat = natGateways(new StackGraph([vpc]));
            return [nat.total, nat.byVpc[0].natGateways, nat.byVpc[0].availabilityZones];
        };
        assert.deepEqual(count({}), [3, 3, 3]);
        assert.deepEqual(count({ numberOfAvailabilityZones: 2 }), [2, 2, 2]);
        assert.deepEqual(count({ availabilityZoneNames: ["a", "b", "c", "d"], numberOfAvailabilityZones: 2 }), [4, 4, 4]);
        assert.deepEqual(count({ natGateways: { strategy: "Single" } }), [1, 1, 3]);
        assert.deepEqual(count({ natGateways: { strategy: "None" }, numberOfAvailabilityZones: 2 }), [0, 0, 2]);
    });

    it("counts the NAT gateways an awsx VPC shows as its children once, whatever its strategy says", () => {
        const vpc = r(T.awsxVpc, { natGateways: { strategy: "OnePerAz" } });
        const subnet = r("aws:ec2/subnet:Subnet", {}, {}, vpc);
        const nat = r(T.natGateway, {}, {}, subnet);
        const result = natGateways(new StackGraph([vpc, subnet, nat]));
        assert.equal(result.total, 1);
        assert.equal(result.byVpc[0].natGateways, 1);
        assert.equal(result.byVpc[0].vpc, vpc);
    });

    it("counts a load balancer's zones from its subnets or subnet mappings, unknown otherwise", () => {
        assert.equal(loadBalancerZones({ subnets: ["a", "b"] }), 2);
        assert.equal(loadBalancerZones({ subnetMappings: [{}, {}, {}] }), 3);
        assert.equal(loadBalancerZones({ subnets: "a" }), undefined);
        assert.equal(loadBalancerZones({}), undefined);
    });

    it("reads Container Insights from a cluster's settings", () => {
        assert.equal(containerInsightsOf({ settings: [{ name: "other", value: "x" }, { name: "containerInsights", value: "enhanced" }] }), "enhanced");
        assert.equal(containerInsightsOf({ settings: [] }), undefined);
        assert.equal(containerInsightsOf({}), undefined);
    });
});

describe("readers: IAM documents", () => {
    const doc = (Statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement });

    it("reads a policy's own document, a single statement included", () => {
        const policy = r(T.policy, { policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }) });
        assert.deepEqual(policyDocuments(policy), [{ name: policy.name, statements: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }]);
    });

    it("reads each inline policy of a role, named or not", () => {
        const role = r(T.role, { inlinePolicies: [{ name: "logs", policy: doc([{ Effect: "Allow" }]) }, { policy: { Statement: [] } }] });
        assert.deepEqual(policyDocuments(role), [
            { name: "logs", statements: [{ Effect: "Allow" }] },
            { name: "inline", statements: [] },
        ]);
        assert.deepEqual(policyDocuments(r(T.role)), []);
    });

    it("skips a document that is not JSON or not an object", () => {
        assert.deepEqual(policyDocuments(r(T.rolePolicy, { policy: "{nope" })), []);
        assert.deepEqual(policyDocuments(r(T.rolePolicy, { policy: "42" })), []);
        assert.deepEqual(policyDocuments(r(T.rolePolicy, {})), []);
    });

    it("turns one value or a list into a list", () => {
        assert.deepEqual(asList("a"), ["a"]);
        assert.deepEqual(asList(["a", "b"]), ["a", "b"]);
        assert.deepEqual(asList(undefined), []);
    });
});

describe("readers: scaling", () => {
    const named = (inputs: Record<string, any> = {}) => r(T.service, inputs);

    it("finds a service's scalable target by the service name at the end of its resource ID: given, logical, or auto-named with 7 hex digits", () => {
        const service = named({ desiredCount: 2 });
        const target = (resourceId: unknown) => r(T.scalableTarget, { resourceId, minCapacity: 1, maxCapacity: 6 });
        const rangeWith = (t: StackResource, s = service) => scheduledScalingOf(new StackGraph([s, t]), s).range;
        assert.deepEqual(rangeWith(target(`service/c/${service.name}`)), { min: 1, max: 6 });
        assert.deepEqual(rangeWith(target(`service/c/${service.name}-0a1b2c3`)), { min: 1, max: 6 });
        assert.deepEqual(rangeWith(target("service/c/api"), named({ name: "api", desiredCount: 2 })), { min: 1, max: 6 });
        for (const other of [`service/c/${service.name}-0a1b2c`, `service/c/${service.name}-0A1B2C3`, `service/c/${service.name}-0a1b2c3d`, `service/c/x${service.name}`, `service/c/${service.name}x0a1b2c3`, 42, undefined]) {
            assert.deepEqual(rangeWith(target(other)), { min: 2, max: 2 }, `${String(other)}: the desired count when no target is the service's`);
        }
    });

    it("lists the scheduled actions of a service with their schedule, zone and new range", () => {
        const service = named();
        const action = (inputs: Record<string, any>) => r(T.scheduledAction, { resourceId: `service/c/${service.name}`, ...inputs });
        const graph = new StackGraph([
            service,
            action({ schedule: "cron(0 20 ? * MON-FRI *)", timezone: "Europe/Paris", scalableTargetAction: { minCapacity: 0, maxCapacity: 0 } }),
            action({ scalableTargetAction: { maxCapacity: 4 } }),
            r(T.scheduledAction, { resourceId: "service/c/other", schedule: "rate(1 hour)" }),
        ]);
        assert.deepEqual(scheduledScalingOf(graph, service).actions, [
            { schedule: "cron(0 20 ? * MON-FRI *)", timezone: "Europe/Paris", min: 0, max: 0 },
            { schedule: "", timezone: undefined, min: undefined, max: 4 },
        ]);
    });
});

describe("readers: a queue worker that scales to zero", () => {
    type Options = { queues?: number; up?: number; down?: number | null; alarm?: Record<string, any>; alarmBy?: "arn" | "dependency"; policyType?: string; decoy?: boolean; bare?: boolean };
    function worker(options: Options = {}) {
        const queues = Array.from({ length: options.queues ?? 1 }, () => r(T.queue));
        const td = r(T.taskDefinition, {}, { containerDefinitions: queues });
        const service = r(T.service, {}, { taskDefinition: [td] });
        const policy = (adjustment: number | null, configuration = true) =>
            r(T.scalingPolicy, {
                resourceId: `service/c/${service.name}`,
                policyType: options.policyType ?? "StepScaling",
                ...(configuration ? { stepScalingPolicyConfiguration: adjustment === null ? {} : { stepAdjustments: [{ scalingAdjustment: adjustment }] } } : {}),
            });
        const up = policy(options.up ?? 3);
        const down = policy(options.down === undefined ? 0 : options.down);
        const resources = [...queues, td, service, up, down];
        // A step policy of the service without any configuration yet, after the two that have one.
        if (options.bare) resources.push(policy(null, false));
        const policyArn = (p: StackResource) => `arn:aws:autoscaling:eu-west-1:123456789012:${p.name}-1234567`;
        // An alarm on the wake-up step, listed first: only the alarm acting on the step to zero counts.
        if (options.decoy) resources.push(r(T.metricAlarm, { period: 600, evaluationPeriods: 9, alarmActions: [policyArn(up)] }));
        if (options.alarm) {
            const byArn = options.alarmBy !== "dependency";
            const actions = byArn ? ["arn:aws:sns:eu-west-1:123456789012:oncall", policyArn(down)] : [undefined];
            resources.push(r(T.metricAlarm, { ...options.alarm, alarmActions: actions }, byArn ? {} : { alarmActions: [down] }));
        }
        return queueScaleToZero(new StackGraph(resources), service);
    }

    it("reads the queues, the idle alarm's periods and the tasks the wake-up step starts", () => {
        assert.deepEqual(worker({ queues: 2, up: 3, alarm: { period: 120, evaluationPeriods: 5 }, decoy: true, bare: true }), { queues: 2, idleMinutes: 10, runningTasks: 3 });
        assert.deepEqual(worker({ alarm: { period: 60, evaluationPeriods: 3 }, alarmBy: "dependency", decoy: true }), { queues: 1, idleMinutes: 3, runningTasks: 3 });
        assert.deepEqual(worker({ alarm: { metricQueries: [{ id: "e", expression: "m" }, { id: "m", metric: { period: 300 } }], evaluationPeriods: 2 } }), { queues: 1, idleMinutes: 10, runningTasks: 3 });
        assert.deepEqual(worker({ alarm: { metricQueries: [{ id: "e", expression: "1", metric: null }], evaluationPeriods: 2 } }), { queues: 1, idleMinutes: 2, runningTasks: 3 }, "60 s periods when no query names a metric");
        assert.deepEqual(worker({ alarm: {} }), { queues: 1, idleMinutes: 1, runningTasks: 3 }, "one period of 60 s when the alarm says nothing");
        assert.deepEqual(worker(), { queues: 1, idleMinutes: 15, runningTasks: 3 }, "15 minutes when no alarm is found");
    });

    it("is not a queue worker at zero without a queue, a step that wakes it or a step that stops it", () => {
        assert.equal(worker({ queues: 0 }), undefined);
        assert.equal(worker({ up: 0 }), undefined, "no step above zero");
        assert.equal(worker({ down: 2 }), undefined, "no step to zero");
        assert.equal(worker({ down: 2, bare: true })?.runningTasks, 3, "a step policy without configuration is read (adjustment 0), not a reason to stop");
        assert.equal(worker({ policyType: "TargetTrackingScaling" }), undefined, "target tracking is not the step pair");
        assert.equal(worker({ down: null, up: 1 })?.runningTasks, 1, "a step policy without adjustments counts as the one to zero");
        assert.equal(queueScaleToZero(new StackGraph([r(T.service)]), r(T.service)), undefined, "no task definition");
    });

    it("reads a step policy whose adjustments are an empty list as one to zero", () => {
        const queue = r(T.queue);
        const td = r(T.taskDefinition, {}, { containerDefinitions: [queue] });
        const service = r(T.service, {}, { taskDefinition: [td] });
        const step = (stepAdjustments: unknown[]) => r(T.scalingPolicy, { resourceId: `service/c/${service.name}`, policyType: "StepScaling", stepScalingPolicyConfiguration: { stepAdjustments } });
        assert.deepEqual(queueScaleToZero(new StackGraph([queue, td, service, step([{ scalingAdjustment: 2 }]), step([])]), service), { queues: 1, idleMinutes: 15, runningTasks: 2 });
    });
});

describe("readers: access logs and public IPv4", () => {
    it("reads the access-log bucket's expiry from its lifecycle rules, none when no rule expires objects", () => {
        const lifecycle = (rules: unknown) => new StackGraph([r("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", { rules })]);
        assert.equal(accessLogExpiryDays(lifecycle([{ id: "a" }, { expiration: { days: "90" } }])), 90);
        assert.equal(accessLogExpiryDays(lifecycle([{ expiration: {} }])), undefined);
        assert.equal(accessLogExpiryDays(lifecycle(undefined)), undefined);
        assert.equal(accessLogExpiryDays(new StackGraph([])), undefined);
    });

    it("knows an IPv6-only subnet and the subnets a service's tasks run in", () => {
        const v6 = r(T.subnet, { ipv6Native: true });
        const v4 = r(T.subnet, { ipv6Native: false });
        assert.deepEqual([isIpv6OnlySubnet(v6), isIpv6OnlySubnet(v4), isIpv6OnlySubnet(r(T.subnet, { ipv6Native: "true" }))], [true, false, false]);
        const service = r(T.service, {}, { networkConfiguration: [v6, r(T.securityGroup), v4] });
        assert.deepEqual(taskSubnetsOf(new StackGraph([v6, v4, service]), service), [v6, v4]);
    });

    it("counts a public IPv4 address per zone of each internet-facing load balancer, per NAT gateway and per task asking for one", () => {
        const lbs = [
            r(T.loadBalancer, { subnets: ["a", "b", "c"] }),
            r(T.loadBalancer, {}),
            r(T.loadBalancer, { subnets: ["a", "b"], internal: true }),
            r(T.loadBalancer, { subnets: ["a", "b"], ipAddressType: "dualstack-without-public-ipv4" }),
            r(T.loadBalancer, { subnets: ["a", "b"], ipAddressType: "dualstack" }),
        ];
        assert.deepEqual(lbs.map(hasPublicIpv4), [true, true, false, false, true]);
        const services = [r(T.service, { networkConfiguration: { assignPublicIp: true } }), r(T.service, { networkConfiguration: { assignPublicIp: false } }), r(T.service, {})];
        assert.deepEqual(publicIpv4Addresses(new StackGraph([...lbs, ...services]), 2, () => 1.5), { loadBalancer: 7, nat: 2, tasks: 1.5 });
    });

    it("counts the zones and NAT gateways of a VPC made of aws.ec2 resources by its own subnets", () => {
        const vpc = r(T.vpc);
        const other = r(T.vpc);
        const subnets = ["a", "b", "b"].map((zone) => r(T.subnet, { availabilityZone: `eu-west-1${zone}` }, { vpcId: [vpc] }));
        const elsewhere = r(T.subnet, { availabilityZone: "eu-west-1c" }, { vpcId: [other] });
        const nats = [r(T.natGateway, {}, { subnetId: [subnets[0]] }), r(T.natGateway, {}, { subnetId: [elsewhere] }), r(T.natGateway)];
        const result = natGateways(new StackGraph([vpc, other, ...subnets, elsewhere, ...nats]));
        assert.equal(result.total, 3);
        assert.deepEqual(result.byVpc.map((v) => [v.vpc, v.natGateways, v.availabilityZones]), [
            [vpc, 1, 2],
            [other, 1, 1],
        ]);
    });
});
