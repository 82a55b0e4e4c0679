import { jsonValue } from "./types";
import type { GraphRule, PreflightResource, ResourceRule, RuleViolation } from "./types";

/** VPC addressing: dual-stack and IPv6-only subnets, routes to the gateways, and what IPv6-only tasks need. */

const EC2 = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference";
const TF = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/ec2";
const TYPE = {
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    service: "aws:ecs/service:Service",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
} as const;

const given = (inputs: Record<string, any>, key: string) => inputs[key] !== undefined && inputs[key] !== null;

export const VPC_RULES: ResourceRule[] = [
    {
        id: "ec2.subnet.addressing",
        type: TYPE.subnet,
        title: "an IPv6-only subnet has an IPv6 /64, no IPv4 block, no public IPv4 or A records on launch and resource-name hostnames; any other subnet has an IPv4 block; IPv6 blocks are /64; auto-assigned IPv6 and DNS64 need an IPv6 block",
        sources: [`${EC2}/API_CreateSubnet.html`, `${EC2}/API_ModifySubnetAttribute.html`, "https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html", `${TF}/vpc_subnet.go`],
        check(r) {
            const i = r.inputs;
            const out: RuleViolation[] = [];
            // An IPv6 block given, from a pool, or not known yet (a key kept, even null): nothing to judge it by.
            const ipv6Block = "ipv6CidrBlock" in i || given(i, "ipv6IpamPoolId");
            if (i.ipv6Native === true) {
                if (given(i, "cidrBlock")) out.push({ key: "cidrBlock", message: "is set on an IPv6-only subnet (ipv6Native), which has no IPv4 block" });
                if (!ipv6Block) out.push({ key: "ipv6CidrBlock", message: "is required: an IPv6-only subnet (ipv6Native) needs an IPv6 /64" });
                if (i.mapPublicIpOnLaunch === true) out.push({ key: "mapPublicIpOnLaunch", message: "is true on an IPv6-only subnet, which has no IPv4 addresses to give" });
                if (i.enableResourceNameDnsARecordOnLaunch === true) out.push({ key: "enableResourceNameDnsARecordOnLaunch", message: "is true on an IPv6-only subnet: there is no IPv4 address for an A record" });
                if (i.privateDnsHostnameTypeOnLaunch === "ip-name") out.push({ key: "privateDnsHostnameTypeOnLaunch", message: '"ip-name" names hosts by IPv4 address; an IPv6-only subnet uses "resource-name"' });
            } else if ((i.ipv6Native === false || !("ipv6Native" in i)) && !given(i, "ipv4IpamPoolId") && !("cidrBlock" in i)) {
                out.push({ key: "cidrBlock", message: "is required unless the subnet is IPv6-only (ipv6Native)" });
            }
            if (typeof i.ipv6CidrBlock === "string" && !i.ipv6CidrBlock.endsWith("/64")) out.push({ key: "ipv6CidrBlock", message: `${i.ipv6CidrBlock} is not a /64: a subnet's IPv6 block is always /64` });
            if (i.assignIpv6AddressOnCreation === true && !ipv6Block) out.push({ key: "assignIpv6AddressOnCreation", message: "is true but the subnet has no IPv6 block" });
            if (i.enableDns64 === true && !ipv6Block) out.push({ key: "enableDns64", message: "is true but the subnet has no IPv6 block: DNS64 answers IPv6 clients" });
            return out;
        },
    },
    {
        id: "ec2.routeTable.routes",
        type: TYPE.routeTable,
        title: "each route has one destination and one target; an egress-only internet gateway carries IPv6 destinations only",
        sources: [`${EC2}/API_CreateRoute.html`, "https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html", `${TF}/vpc_route_table.go`],
        check(r) {
            if (!Array.isArray(r.inputs.routes)) return [];
            const routes: Record<string, any>[] = r.inputs.routes;
            const out: RuleViolation[] = [];
            const targets = ["gatewayId", "egressOnlyGatewayId", "natGatewayId", "networkInterfaceId", "transitGatewayId", "vpcEndpointId", "vpcPeeringConnectionId", "carrierGatewayId", "localGatewayId", "coreNetworkArn"];
            routes.forEach((route, n) => {
                if (route === null || typeof route !== "object") return; // not known yet
                // A key whose value is not known yet (undefined, key kept) still counts: it names a destination or a target.
                const destinations = ["cidrBlock", "ipv6CidrBlock", "destinationPrefixListId"].filter((k) => k in route);
                const via = targets.filter((k) => k in route);
                if (destinations.length !== 1) out.push({ key: `routes[${n}]`, message: `has ${destinations.length} destinations (${destinations.join(", ") || "none"}); a route has exactly one` });
                if (via.length !== 1) out.push({ key: `routes[${n}]`, message: `has ${via.length} targets (${via.join(", ") || "none"}); a route has exactly one` });
                if ("egressOnlyGatewayId" in route && route.cidrBlock !== undefined) out.push({ key: `routes[${n}].egressOnlyGatewayId`, message: `routes ${route.cidrBlock}, an IPv4 destination: an egress-only internet gateway carries IPv6 only` });
            });
            return out;
        },
    },
];

/** The resources an input came from, by URN. */
const referenced = (r: PreflightResource, key: string, byUrn: Map<string, PreflightResource>) =>
    // Stryker disable next-line ArrayDeclaration: a URN no resource has is dropped by the filter after it
    (r.propertyDependencies?.[key] ?? []).map((u) => byUrn.get(u)).filter((x): x is PreflightResource => x !== undefined);

/** The load balancers whose listeners (default actions or rules) send traffic to a target group. */
function loadBalancersOf(targetGroup: PreflightResource, resources: readonly PreflightResource[], byUrn: Map<string, PreflightResource>): PreflightResource[] {
    // Stryker disable next-line ArrayDeclaration: a list holding a URN no resource has includes no target group's URN either
    const sends = (r: PreflightResource, key: string) => (r.propertyDependencies?.[key] ?? []).includes(targetGroup.urn);
    const listeners = [
        ...resources.filter((r) => r.type === TYPE.listener && sends(r, "defaultActions")),
        ...resources.filter((r) => r.type === TYPE.listenerRule && sends(r, "actions")).flatMap((rule) => referenced(rule, "listenerArn", byUrn)),
    ];
    return listeners.flatMap((l) => referenced(l, "loadBalancerArn", byUrn)).filter((lb) => lb.type === TYPE.loadBalancer);
}

const ECR_IPV4_HOST = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\//;

export const VPC_GRAPH_RULES: GraphRule[] = [
    {
        id: "elbv2.targetGroup.ipv6",
        type: TYPE.targetGroup,
        title: "a target group of IPv6 addresses is served by a dual-stack load balancer",
        sources: ["https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#target-group-ip-address-type", "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html"],
        checkAll(resources) {
            const byUrn = new Map(resources.map((r) => [r.urn, r]));
            return resources
                .filter((r) => r.type === TYPE.targetGroup && r.inputs.ipAddressType === "ipv6")
                .flatMap((tg) =>
                    loadBalancersOf(tg, resources, byUrn)
                        .filter((lb) => (lb.inputs.ipAddressType ?? "ipv4") === "ipv4")
                        .map((lb) => ({ resource: tg, key: "ipAddressType", message: `"ipv6" targets behind load balancer ${lb.name}, which is "ipv4": IPv6 target groups need a dual-stack load balancer` })),
                );
        },
    },
    {
        id: "ecs.service.ipv6Only",
        type: TYPE.service,
        title: "a service in IPv6-only subnets has no public IP, registers in IPv6 target groups, and pulls ECR images through ECR's dual-stack endpoint",
        sources: ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html", "https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-requests.html"],
        checkAll(resources) {
            const byUrn = new Map(resources.map((r) => [r.urn, r]));
            const out: (RuleViolation & { resource: PreflightResource })[] = [];
            for (const service of resources.filter((r) => r.type === TYPE.service)) {
                const subnets = referenced(service, "networkConfiguration", byUrn).filter((s) => s.type === TYPE.subnet);
                if (!subnets.some((s) => s.inputs.ipv6Native === true)) continue;
                if (service.inputs.networkConfiguration?.assignPublicIp === true) out.push({ resource: service, key: "networkConfiguration.assignPublicIp", message: "is true, but the tasks' subnets are IPv6-only: there is no IPv4 address to make public" });
                for (const tg of referenced(service, "loadBalancers", byUrn).filter((t) => t.type === TYPE.targetGroup && t.inputs.ipAddressType !== "ipv6")) {
                    out.push({ resource: service, key: "loadBalancers", message: `target group ${tg.name} holds IPv4 addresses; tasks in IPv6-only subnets register in an "ipv6" target group` });
                }
                for (const definition of referenced(service, "taskDefinition", byUrn)) {
                    const containers = jsonValue<{ name?: string; image?: string }[]>(definition.inputs.containerDefinitions);
                    if (!Array.isArray(containers)) continue;
                    for (const c of containers) {
                        // A container written as null is the provider's to refuse, not a reason to stop here.
                        if (typeof c?.image === "string" && ECR_IPV4_HOST.test(c.image)) {
                            out.push({ resource: service, key: "taskDefinition", message: `container ${c.name} pulls ${c.image} through ECR's IPv4 endpoint, which IPv6-only tasks cannot reach; use <registry-id>.dkr-ecr.<region>.on.aws` });
                        }
                    }
                }
            }
            return out;
        },
    },
];
