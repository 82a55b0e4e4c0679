import * as assert from "node:assert/strict";
import { runPreflight, PreflightResource } from "../core/preflight";

/**
 * The preflight's VPC rules (core/preflight/vpc.ts) one case at a time: IPv6-only and dual-stack
 * subnets, routes to the gateways, IPv6 target groups and services in IPv6-only subnets. Each case
 * names the input AWS would refuse and the message the plan prints, and the nearest case AWS accepts.
 */

const T = {
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    service: "aws:ecs/service:Service",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
} as const;

const VPC_RULE_IDS = new Set(["ec2.subnet.addressing", "ec2.routeTable.routes", "elbv2.targetGroup.ipv6", "ecs.service.ipv6Only"]);

function record(type: string, inputs: Record<string, unknown>, extra: Partial<PreflightResource> = {}): PreflightResource {
    return { urn: `urn:${extra.name ?? "r"}`, type, name: "r", inputs, ...extra };
}

/** [rule, resource, key, message] of each finding of the VPC rules. */
const vpcFindings = (resources: PreflightResource[]) =>
    runPreflight(resources)
        .filter((f) => VPC_RULE_IDS.has(f.rule))
        .map((f) => [f.rule, f.resource, f.key, f.message]);

/** [key, message] of each finding of the subnet rule on one subnet. */
const subnet = (inputs: Record<string, unknown>) => vpcFindings([record(T.subnet, inputs)]).map(([, , key, message]) => [key, message]);
const routes = (...list: unknown[]) => vpcFindings([record(T.routeTable, { routes: list })]).map(([, , key, message]) => [key, message]);

const V6 = "2600:1f18:1:100::/64";

describe("preflight: subnet addressing", () => {
    it("accepts an IPv6-only subnet with a /64, DNS64, IPv6 on creation and resource-name hostnames", () => {
        assert.deepEqual(subnet({ ipv6Native: true, ipv6CidrBlock: V6, enableDns64: true, assignIpv6AddressOnCreation: true, privateDnsHostnameTypeOnLaunch: "resource-name", mapPublicIpOnLaunch: false, enableResourceNameDnsARecordOnLaunch: false }), []);
        assert.deepEqual(subnet({ ipv6Native: true, ipv6IpamPoolId: "ipam-pool-1", cidrBlock: null }), [], "an IPv6 block from an IPAM pool, and a null IPv4 block");
        assert.deepEqual(subnet({ ipv6Native: true, ipv6CidrBlock: undefined }), [], "an IPv6 block not known yet");
    });

    it("refuses an IPv4 block, public IPv4, A records and ip-name hostnames on an IPv6-only subnet, each on its key", () => {
        assert.deepEqual(subnet({ ipv6Native: true, ipv6CidrBlock: V6, cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true, enableResourceNameDnsARecordOnLaunch: true, privateDnsHostnameTypeOnLaunch: "ip-name" }), [
            ["cidrBlock", "is set on an IPv6-only subnet (ipv6Native), which has no IPv4 block"],
            ["mapPublicIpOnLaunch", "is true on an IPv6-only subnet, which has no IPv4 addresses to give"],
            ["enableResourceNameDnsARecordOnLaunch", "is true on an IPv6-only subnet: there is no IPv4 address for an A record"],
            ["privateDnsHostnameTypeOnLaunch", '"ip-name" names hosts by IPv4 address; an IPv6-only subnet uses "resource-name"'],
        ]);
    });

    it("wants an IPv6 block on an IPv6-only subnet, and on any subnet that assigns IPv6 addresses or answers DNS64", () => {
        assert.deepEqual(subnet({ ipv6Native: true, assignIpv6AddressOnCreation: true, enableDns64: true }), [
            ["ipv6CidrBlock", "is required: an IPv6-only subnet (ipv6Native) needs an IPv6 /64"],
            ["assignIpv6AddressOnCreation", "is true but the subnet has no IPv6 block"],
            ["enableDns64", "is true but the subnet has no IPv6 block: DNS64 answers IPv6 clients"],
        ]);
        assert.deepEqual(subnet({ cidrBlock: "10.0.0.0/24", assignIpv6AddressOnCreation: true, enableDns64: true, ipv6CidrBlock: null }), [], "a null IPv6 block is a key kept: not known yet");
        for (const block of [{ ipv6CidrBlock: V6 }, { ipv6IpamPoolId: "ipam-pool-1" }, { ipv6CidrBlock: undefined }]) {
            assert.deepEqual(subnet({ cidrBlock: "10.0.0.0/24", assignIpv6AddressOnCreation: true, enableDns64: true, ...block }), [], JSON.stringify(block));
        }
        assert.deepEqual(subnet({ cidrBlock: "10.0.0.0/24", assignIpv6AddressOnCreation: false, enableDns64: false }), []);
    });

    it("wants an IPv4 block on any subnet that is not IPv6-only, unless an IPAM pool gives it or it is not known yet", () => {
        const required = [["cidrBlock", "is required unless the subnet is IPv6-only (ipv6Native)"]];
        assert.deepEqual(subnet({}), required);
        assert.deepEqual(subnet({ ipv6Native: false, ipv6CidrBlock: V6 }), required);
        assert.deepEqual(subnet({ ipv6Native: false, cidrBlock: "10.0.0.0/24" }), []);
        assert.deepEqual(subnet({ ipv4IpamPoolId: "ipam-pool-4" }), []);
        assert.deepEqual(subnet({ ipv4IpamPoolId: null }), required, "a null pool gives no block");
        assert.deepEqual(subnet({ cidrBlock: undefined }), [], "a block not known yet");
        assert.deepEqual(subnet({ ipv6Native: undefined }), [], "whether the subnet is IPv6-only is not known yet");
    });

    it("wants every IPv6 block of a subnet to be a /64", () => {
        assert.deepEqual(subnet({ cidrBlock: "10.0.0.0/24", ipv6CidrBlock: "2600:1f18:1:100::/56" }), [["ipv6CidrBlock", "2600:1f18:1:100::/56 is not a /64: a subnet's IPv6 block is always /64"]]);
        assert.deepEqual(subnet({ cidrBlock: "10.0.0.0/24", ipv6CidrBlock: V6 }), []);
    });
});

describe("preflight: routes", () => {
    it("accepts routes with one destination and one target each, IPv6 through an egress-only gateway", () => {
        assert.deepEqual(routes({ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-1" }, { ipv6CidrBlock: "::/0", egressOnlyGatewayId: "eigw-1" }, { destinationPrefixListId: "pl-1", vpcEndpointId: "vpce-1" }), []);
    });

    it("counts each route's destinations and targets, and names them", () => {
        assert.deepEqual(routes({ cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }, { cidrBlock: "0.0.0.0/0", ipv6CidrBlock: "::/0", gatewayId: "igw-1", natGatewayId: "nat-1" }), [
            ["routes[1]", "has 2 destinations (cidrBlock, ipv6CidrBlock); a route has exactly one"],
            ["routes[1]", "has 2 targets (gatewayId, natGatewayId); a route has exactly one"],
        ]);
        assert.deepEqual(routes({}), [
            ["routes[0]", "has 0 destinations (none); a route has exactly one"],
            ["routes[0]", "has 0 targets (none); a route has exactly one"],
        ]);
    });

    it("knows every kind of route target AWS has", () => {
        for (const target of ["gatewayId", "egressOnlyGatewayId", "natGatewayId", "networkInterfaceId", "transitGatewayId", "vpcEndpointId", "vpcPeeringConnectionId", "carrierGatewayId", "localGatewayId", "coreNetworkArn"]) {
            assert.deepEqual(routes({ ipv6CidrBlock: "::/0", [target]: "x" }), [], target);
        }
    });

    it("counts a destination or a target whose value is not known yet", () => {
        assert.deepEqual(routes({ cidrBlock: undefined, natGatewayId: undefined }), []);
        assert.deepEqual(routes({ cidrBlock: undefined, egressOnlyGatewayId: "eigw-1" }), [], "an IPv4 destination not known yet is not judged against the gateway");
    });

    it("refuses an IPv4 destination through an egress-only internet gateway", () => {
        assert.deepEqual(routes({ ipv6CidrBlock: "::/0", egressOnlyGatewayId: "eigw-1" }, { cidrBlock: "0.0.0.0/0", egressOnlyGatewayId: "eigw-1" }), [
            ["routes[1].egressOnlyGatewayId", "routes 0.0.0.0/0, an IPv4 destination: an egress-only internet gateway carries IPv6 only"],
        ]);
    });

    it("judges no route not known yet, and no routes that are not a list", () => {
        assert.deepEqual(routes(null, "route", { cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }), []);
        for (const value of [undefined, "routes", { cidrBlock: "0.0.0.0/0" }]) {
            assert.deepEqual(vpcFindings([record(T.routeTable, { routes: value })]), [], JSON.stringify(value));
        }
    });
});

describe("preflight: IPv6 target groups behind load balancers", () => {
    const tg = (ipAddressType: string) => record(T.targetGroup, { ipAddressType, targetType: "ip", port: 80, protocol: "HTTP" }, { urn: "urn:tg", name: "tg" });
    const lb = (inputs: Record<string, unknown>, urn = "urn:lb", name = "lb") => record(T.loadBalancer, inputs, { urn, name });
    const listener = (lbUrn = "urn:lb", urn = "urn:listener") => record(T.listener, { port: 80, protocol: "HTTP" }, { urn, name: urn.slice(4), propertyDependencies: { loadBalancerArn: [lbUrn], defaultActions: ["urn:tg"] } });
    const message = (lbName: string) => `"ipv6" targets behind load balancer ${lbName}, which is "ipv4": IPv6 target groups need a dual-stack load balancer`;

    it("refuses an IPv6 target group forwarded to by an IPv4 load balancer's listener, or by one that names no address type", () => {
        assert.deepEqual(vpcFindings([tg("ipv6"), lb({ ipAddressType: "ipv4" }), listener()]), [["elbv2.targetGroup.ipv6", "tg", "ipAddressType", message("lb")]]);
        assert.deepEqual(vpcFindings([tg("ipv6"), lb({}), listener()]), [["elbv2.targetGroup.ipv6", "tg", "ipAddressType", message("lb")]]);
    });

    it("finds the load balancer through a listener rule's forward action too", () => {
        const rule = record(T.listenerRule, { priority: 1, conditions: [{ pathPattern: { values: ["/a"] } }] }, { urn: "urn:rule", name: "rule", propertyDependencies: { listenerArn: ["urn:other-listener"], actions: ["urn:tg"] } });
        const other = record(T.listener, { port: 80, protocol: "HTTP" }, { urn: "urn:other-listener", name: "other-listener", propertyDependencies: { loadBalancerArn: ["urn:lb2"] } });
        assert.deepEqual(vpcFindings([tg("ipv6"), lb({ ipAddressType: "dualstack" }), listener(), lb({ ipAddressType: "ipv4" }, "urn:lb2", "lb2"), other, rule]), [["elbv2.targetGroup.ipv6", "tg", "ipAddressType", message("lb2")]]);
    });

    it("accepts an IPv6 target group behind dual-stack load balancers, and any IPv4 target group", () => {
        assert.deepEqual(vpcFindings([tg("ipv6"), lb({ ipAddressType: "dualstack" }), listener()]), []);
        assert.deepEqual(vpcFindings([tg("ipv6"), lb({ ipAddressType: "dualstack-without-public-ipv4" }), listener()]), []);
        assert.deepEqual(vpcFindings([tg("ipv4"), lb({ ipAddressType: "ipv4" }), listener()]), []);
    });

    it("reads only listeners that forward to the target group and load balancers that are load balancers", () => {
        const elsewhere = record(T.listener, { port: 80, protocol: "HTTP" }, { urn: "urn:listener", name: "listener", propertyDependencies: { loadBalancerArn: ["urn:lb"], defaultActions: ["urn:other-tg"] } });
        assert.deepEqual(vpcFindings([tg("ipv6"), lb({ ipAddressType: "ipv4" }), elsewhere]), []);
        const notLb = record(T.targetGroup, { ipAddressType: "ipv4" }, { urn: "urn:lb", name: "not-a-load-balancer" });
        assert.deepEqual(vpcFindings([tg("ipv6"), notLb, listener()]), []);
        const ruleElsewhere = record(T.listenerRule, { priority: 1, conditions: [{ pathPattern: { values: ["/a"] } }] }, { urn: "urn:rule", name: "rule", propertyDependencies: { listenerArn: ["urn:l2"], actions: ["urn:other-tg"] } });
        const l2 = record(T.listener, { port: 81, protocol: "HTTP" }, { urn: "urn:l2", name: "l2", propertyDependencies: { loadBalancerArn: ["urn:lb"] } });
        assert.deepEqual(vpcFindings([tg("ipv6"), lb({ ipAddressType: "ipv4" }), l2, ruleElsewhere]), [], "a rule forwarding to another target group");
        const notAListener = record(T.listenerRule, {}, { urn: "urn:x", name: "x", propertyDependencies: { loadBalancerArn: ["urn:lb"], defaultActions: ["urn:tg"] } });
        assert.deepEqual(vpcFindings([tg("ipv6"), lb({ ipAddressType: "ipv4" }), notAListener]).filter((f) => f[0] === "elbv2.targetGroup.ipv6"), [], "only a listener's default actions count");
        const notARule = record(T.listener, {}, { urn: "urn:y", name: "y", propertyDependencies: { listenerArn: ["urn:l2"], actions: ["urn:tg"] } });
        assert.deepEqual(vpcFindings([tg("ipv6"), lb({ ipAddressType: "ipv4" }), l2, notARule]).filter((f) => f[0] === "elbv2.targetGroup.ipv6"), [], "only a listener rule's actions count");
        const notATargetGroup = record(T.loadBalancer, { ipAddressType: "ipv6" }, { urn: "urn:tg", name: "tg" });
        assert.deepEqual(vpcFindings([notATargetGroup, lb({ ipAddressType: "ipv4" }), listener()]).filter((f) => f[0] === "elbv2.targetGroup.ipv6"), [], "only target groups");
        const withoutDependencies = record(T.listener, { port: 82, protocol: "HTTP" }, { urn: "urn:l3", name: "l3" });
        const withoutDependenciesRule = record(T.listenerRule, { priority: 2, conditions: [{ pathPattern: { values: ["/b"] } }] }, { urn: "urn:r3", name: "r3" });
        assert.deepEqual(vpcFindings([tg("ipv6"), lb({ ipAddressType: "ipv4" }), withoutDependencies, withoutDependenciesRule, listener()]), [["elbv2.targetGroup.ipv6", "tg", "ipAddressType", message("lb")]], "listeners and rules whose dependencies are not known");
        const toNowhere = record(T.listener, { port: 83, protocol: "HTTP" }, { urn: "urn:l4", name: "l4", propertyDependencies: { loadBalancerArn: ["urn:gone"], defaultActions: ["urn:tg"] } });
        assert.deepEqual(vpcFindings([tg("ipv6"), toNowhere]), [], "a load balancer outside the resources judged");
    });
});

describe("preflight: services in IPv6-only subnets", () => {
    const v6Subnet = record(T.subnet, { ipv6Native: true, ipv6CidrBlock: V6 }, { urn: "urn:v6", name: "v6" });
    const v4Subnet = record(T.subnet, { cidrBlock: "10.0.0.0/24" }, { urn: "urn:v4", name: "v4" });
    const targetGroup = (name: string, ipAddressType?: string) => record(T.targetGroup, ipAddressType ? { ipAddressType } : {}, { urn: `urn:${name}`, name });
    const definition = (containerDefinitions: unknown) => record(T.taskDefinition, { family: "f", containerDefinitions }, { urn: "urn:td", name: "td" });
    function service(inputs: Record<string, unknown>, deps: Record<string, string[]>) {
        return record(T.service, inputs, { urn: "urn:svc", name: "svc", propertyDependencies: { networkConfiguration: ["urn:v6"], ...deps } });
    }

    it("refuses a public IP, an IPv4 target group and an image from ECR's IPv4 endpoint, each named", () => {
        const images = JSON.stringify([
            { name: "app", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1" },
            { name: "side", image: "123456789012.dkr-ecr.eu-west-1.on.aws/side:1" },
            { name: "hub", image: "nginx:1" },
        ]);
        const svc = service({ networkConfiguration: { assignPublicIp: true } }, { loadBalancers: ["urn:tg4", "urn:tg6", "urn:v4"], taskDefinition: ["urn:td"] });
        assert.deepEqual(vpcFindings([v6Subnet, v4Subnet, targetGroup("tg4"), targetGroup("tg6", "ipv6"), definition(images), svc]), [
            ["ecs.service.ipv6Only", "svc", "networkConfiguration.assignPublicIp", "is true, but the tasks' subnets are IPv6-only: there is no IPv4 address to make public"],
            ["ecs.service.ipv6Only", "svc", "loadBalancers", 'target group tg4 holds IPv4 addresses; tasks in IPv6-only subnets register in an "ipv6" target group'],
            ["ecs.service.ipv6Only", "svc", "taskDefinition", "container app pulls 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1 through ECR's IPv4 endpoint, which IPv6-only tasks cannot reach; use <registry-id>.dkr-ecr.<region>.on.aws"],
        ]);
    });

    it("reads container definitions given as a list as well as JSON text, and nothing from what is neither", () => {
        const deps = { taskDefinition: ["urn:td"] };
        const ecrV4 = { name: "app", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1" };
        assert.equal(vpcFindings([v6Subnet, definition([ecrV4]), service({}, deps)]).length, 1);
        for (const broken of ["not json", JSON.stringify({ image: ecrV4.image }), [{ name: "app", image: 42 }], [{ name: "app", image: [ecrV4.image] }], [null], undefined]) {
            assert.deepEqual(vpcFindings([v6Subnet, definition(broken), service({}, deps)]), [], JSON.stringify(broken));
        }
        assert.deepEqual(vpcFindings([v6Subnet, definition([{ name: "app", image: `mirror/${ecrV4.image}` }]), service({}, deps)]), [], "ECR's host inside another registry's path");
    });

    it("judges nothing of a service whose subnets are not IPv6-only, or are not subnets", () => {
        const everything = { loadBalancers: ["urn:tg4"], taskDefinition: ["urn:td"] };
        const td = definition(JSON.stringify([{ name: "app", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1" }]));
        const inV4 = record(T.service, { networkConfiguration: { assignPublicIp: true } }, { urn: "urn:svc", name: "svc", propertyDependencies: { networkConfiguration: ["urn:v4"], ...everything } });
        assert.deepEqual(vpcFindings([v4Subnet, targetGroup("tg4"), td, inV4]), []);
        const notASubnet = record(T.targetGroup, { ipv6Native: true }, { urn: "urn:v6", name: "odd" });
        assert.deepEqual(vpcFindings([notASubnet, targetGroup("tg4"), td, service({ networkConfiguration: { assignPublicIp: true } }, everything)]), []);
    });

    it("judges services only, and reads past dependencies on resources outside those judged", () => {
        const schedule = record("aws:scheduler/schedule:Schedule", { networkConfiguration: { assignPublicIp: true } }, { urn: "urn:sched", name: "sched", propertyDependencies: { networkConfiguration: ["urn:v6"] } });
        assert.deepEqual(vpcFindings([v6Subnet, schedule]), []);
        const svc = service({ networkConfiguration: { assignPublicIp: true } }, { networkConfiguration: ["urn:gone", "urn:v6"], loadBalancers: ["urn:gone"], taskDefinition: ["urn:gone"] });
        assert.deepEqual(vpcFindings([v6Subnet, svc]).map((f) => f[2]), ["networkConfiguration.assignPublicIp"]);
    });

    it("accepts a service in IPv6-only subnets without a public IP, in an IPv6 target group", () => {
        assert.deepEqual(vpcFindings([v6Subnet, targetGroup("tg6", "ipv6"), service({ networkConfiguration: { assignPublicIp: false } }, { loadBalancers: ["urn:tg6"] })]), []);
        assert.deepEqual(vpcFindings([v6Subnet, v4Subnet, service({}, { networkConfiguration: ["urn:v4", "urn:v6"] })]), [], "some subnets IPv6-only");
    });
});
