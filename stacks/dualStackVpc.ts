import * as pulumi from "@pulumi/pulumi";
import { Eip } from "@pulumi/aws/ec2/eip";
import { EgressOnlyInternetGateway } from "@pulumi/aws/ec2/egressOnlyInternetGateway";
import { InternetGateway } from "@pulumi/aws/ec2/internetGateway";
import { NatGateway } from "@pulumi/aws/ec2/natGateway";
import { RouteTable } from "@pulumi/aws/ec2/routeTable";
import { RouteTableAssociation } from "@pulumi/aws/ec2/routeTableAssociation";
import { Subnet } from "@pulumi/aws/ec2/subnet";
import { Vpc } from "@pulumi/aws/ec2/vpc";
import { VpcEndpoint } from "@pulumi/aws/ec2/vpcEndpoint";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import { componentType } from "../components/componentType";
import { ipv4Subnet, ipv6Subnet, subnetBits } from "../core/aws/subnetCidrs";
import type { NatGateways, TaskSubnets } from "./environmentEnums";

/**
 * A dual-stack VPC from aws.ec2 resources (awsx's Vpc gives its subnets no IPv6): an
 * Amazon-provided IPv6 /56 (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html),
 * a /64 in every subnet, public subnets routing 0.0.0.0/0 and ::/0 to an internet gateway, and
 * task subnets routing ::/0 to an egress-only internet gateway, which lets connections out and
 * none in (https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html).
 * The VPC, subnets, route tables and both gateways are free (https://aws.amazon.com/vpc/pricing/).
 *
 * Task subnets are IPv6-only (`ipv6Only`: no IPv4 block, so tasks have no IPv4 address to pay
 * for; https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html#subnet-ip-address-range),
 * dual-stack private subnets (`private`: IPv4 out through NAT gateways), or the public subnets.
 * With NAT gateways, IPv6-only subnets get DNS64 and a 64:ff9b::/96 route to them, so tasks reach
 * IPv4-only hosts too (https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-nat64-dns64.html).
 */
export interface DualStackVpcArgs {
    cidr: string;
    availabilityZones: number;
    natGateways: NatGateways;
    taskSubnets: TaskSubnets;
    region: string;
    tags: Record<string, string>;
}

export class DualStackVpc extends pulumi.ComponentResource {
    readonly vpc: Vpc;
    readonly vpcId: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    /** The subnets the tasks run in: IPv6-only, dual-stack private, or the public ones. */
    readonly taskSubnetIds: pulumi.Output<string[]>;
    /** Subnets for interface endpoints (the dual-stack private ones), empty otherwise. */
    readonly privateSubnetIds: pulumi.Output<string[]>;

    constructor(name: string, args: DualStackVpcArgs, opts?: pulumi.ComponentResourceOptions) {
        super(componentType("DualStackVpc"), name, {}, opts);
        const parent = { parent: this };
        const tags = (suffix: string) => ({ ...args.tags, Name: `${name}-${suffix}` });
        const zones = getAvailabilityZonesOutput({ state: "available" }, parent).names;
        const zone = (i: number) => zones.apply((names) => names[i]);
        const count = args.availabilityZones;
        const ownTaskSubnets = args.taskSubnets !== "public";
        // IPv4 blocks: the public subnets first, then the private ones; IPv6 /64s numbered the same way.
        const bits = subnetBits(count * (args.taskSubnets === "private" ? 2 : 1));

        this.vpc = new Vpc(name, { cidrBlock: args.cidr, assignGeneratedIpv6CidrBlock: true, enableDnsHostnames: true, enableDnsSupport: true, tags: tags("vpc") }, parent);
        const vpcId = this.vpc.id;
        const block = (i: number) => this.vpc.ipv6CidrBlock.apply((b) => ipv6Subnet(b, i));
        const internet = new InternetGateway(name, { vpcId, tags: tags("igw") }, parent);

        const publicRoutes = new RouteTable(
            `${name}-public`,
            {
                vpcId,
                routes: [
                    { cidrBlock: "0.0.0.0/0", gatewayId: internet.id },
                    { ipv6CidrBlock: "::/0", gatewayId: internet.id },
                ],
                tags: tags("public"),
            },
            parent,
        );
        const publicSubnets = Array.from({ length: count }, (_, i) => {
            const subnet = new Subnet(
                `${name}-public-${i + 1}`,
                {
                    vpcId,
                    availabilityZone: zone(i),
                    cidrBlock: ipv4Subnet(args.cidr, bits, i),
                    ipv6CidrBlock: block(i),
                    assignIpv6AddressOnCreation: true,
                    // Nothing here asks for a public IPv4 address by default: each costs $0.005 an hour.
                    mapPublicIpOnLaunch: false,
                    tags: tags(`public-${i + 1}`),
                },
                parent,
            );
            new RouteTableAssociation(`${name}-public-${i + 1}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, parent);
            return subnet;
        });

        const routeTables: RouteTable[] = [publicRoutes];
        const taskSubnets: Subnet[] = [];
        const privateSubnets: Subnet[] = [];
        if (ownTaskSubnets) {
            const egressOnly = new EgressOnlyInternetGateway(name, { vpcId, tags: tags("eigw") }, parent);
            const natCount = args.natGateways === "none" ? 0 : args.natGateways === "single" ? 1 : count;
            const nats = Array.from({ length: natCount }, (_, i) => {
                const address = new Eip(`${name}-nat-${i + 1}`, { domain: "vpc", tags: tags(`nat-${i + 1}`) }, parent);
                return new NatGateway(`${name}-${i + 1}`, { subnetId: publicSubnets[i].id, allocationId: address.id, tags: tags(`nat-${i + 1}`) }, { parent: this, dependsOn: [internet] });
            });
            const ipv6Only = args.taskSubnets === "ipv6Only";
            for (let i = 0; i < count; i++) {
                const nat = nats.length > 0 ? nats[i % nats.length] : undefined;
                const kind = ipv6Only ? "ipv6" : "private";
                const subnet = new Subnet(
                    `${name}-${kind}-${i + 1}`,
                    ipv6Only
                        ? {
                              vpcId,
                              availabilityZone: zone(i),
                              ipv6Native: true,
                              ipv6CidrBlock: block(count + i),
                              assignIpv6AddressOnCreation: true,
                              // Without an IPv4 address, a task is found by its AAAA record.
                              enableResourceNameDnsAaaaRecordOnLaunch: true,
                              // IPv6-only subnets name hosts by resource ID only (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-naming.html).
                              privateDnsHostnameTypeOnLaunch: "resource-name",
                              enableDns64: nat !== undefined,
                              tags: tags(`${kind}-${i + 1}`),
                          }
                        : {
                              vpcId,
                              availabilityZone: zone(i),
                              cidrBlock: ipv4Subnet(args.cidr, bits, count + i),
                              ipv6CidrBlock: block(count + i),
                              assignIpv6AddressOnCreation: true,
                              tags: tags(`${kind}-${i + 1}`),
                          },
                    parent,
                );
                const routes = new RouteTable(
                    `${name}-${kind}-${i + 1}`,
                    {
                        vpcId,
                        routes: [
                            { ipv6CidrBlock: "::/0", egressOnlyGatewayId: egressOnly.id },
                            ...(nat && !ipv6Only ? [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }] : []),
                            // NAT64: the well-known prefix DNS64 answers with, translated to IPv4 by the NAT gateway.
                            ...(nat && ipv6Only ? [{ ipv6CidrBlock: "64:ff9b::/96", natGatewayId: nat.id }] : []),
                        ],
                        tags: tags(`${kind}-${i + 1}`),
                    },
                    parent,
                );
                new RouteTableAssociation(`${name}-${kind}-${i + 1}`, { subnetId: subnet.id, routeTableId: routes.id }, parent);
                routeTables.push(routes);
                taskSubnets.push(subnet);
                if (!ipv6Only) privateSubnets.push(subnet);
            }
        }
        // S3 holds ECR's image layers. The gateway endpoint is free and keeps layer traffic off NAT's
        // per-GB charge; attached to every route table, as awsx's "Auto" strategy does for the IPv4 VPC.
        new VpcEndpoint(
            `${name}-s3`,
            { vpcId, serviceName: `com.amazonaws.${args.region}.s3`, vpcEndpointType: "Gateway", routeTableIds: routeTables.map((t) => t.id), tags: tags("s3") },
            parent,
        );

        this.vpcId = vpcId;
        this.publicSubnetIds = pulumi.all(publicSubnets.map((s) => s.id));
        this.taskSubnetIds = ownTaskSubnets ? pulumi.all(taskSubnets.map((s) => s.id)) : this.publicSubnetIds;
        this.privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
        this.registerOutputs({ vpcId: this.vpcId, publicSubnetIds: this.publicSubnetIds, taskSubnetIds: this.taskSubnetIds });
    }
}
