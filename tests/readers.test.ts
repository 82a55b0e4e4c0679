import * as assert from "node:assert/strict";
import {
    architectureOf,
    asList,
    containerDefinitions,
    containerInsightsOf,
    deregistrationDelayOf,
    desiredTasks,
    loadBalancerZones,
    mainContainerOf,
    natGateways,
    onDemandBase,
    policyDocuments,
    strategyOf,
    targetGroupsOf,
    taskDefinitionOf,
    taskSize,
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
