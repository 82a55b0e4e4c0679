import * as pulumi from "@pulumi/pulumi";
import { SecurityGroup } from "@pulumi/aws/ec2/securityGroup";
import { getSubnetsOutput } from "@pulumi/aws/ec2/getSubnets";
import { getVpcOutput } from "@pulumi/aws/ec2/getVpc";
import { VpcEndpoint } from "@pulumi/aws/ec2/vpcEndpoint";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc/securityGroupIngressRule";
import { Vpc } from "@pulumi/awsx/ec2/vpc";
import { IpStack } from "../core/enums";
import { DualStackVpc } from "./dualStackVpc";
import type { EnvironmentSpec } from "./environment";
import { endpointUseOf, interfaceEndpointServices } from "./vpcEndpoints";

/** Where an environment's load balancer and tasks live. */
export interface EnvironmentNetwork {
    vpcId: pulumi.Output<string>;
    publicSubnetIds: pulumi.Output<string[]>;
    taskSubnetIds: pulumi.Output<string[]>;
    assignPublicIp: boolean;
    /** The IP addresses of the task subnets. */
    ipStack: IpStack;
    vpc?: Vpc | DualStackVpc;
    endpoints: VpcEndpoint[];
}

const NAT_STRATEGY = { none: "None", single: "Single", onePerAz: "OnePerAz" } as const;

/**
 * A new VPC (awsx: public and private subnets over the chosen Availability Zones, NAT gateways by
 * strategy; with network.ipv6, the dual-stack VPC of dualStackVpc.ts), the account's default VPC,
 * or an existing one.
 */
export function createNetwork(env: EnvironmentSpec, region: string, tags: Record<string, string>): EnvironmentNetwork {
    const { network } = env;
    const assignPublicIp = network.taskSubnets === "public";

    if (network.mode === "existing") {
        const publicSubnetIds = pulumi.output(network.publicSubnetIds!);
        return {
            vpcId: pulumi.output(network.vpcId!),
            publicSubnetIds,
            taskSubnetIds: assignPublicIp ? publicSubnetIds : pulumi.output(network.privateSubnetIds!),
            assignPublicIp,
            ipStack: IpStack.Ipv4,
            endpoints: [],
        };
    }
    if (network.mode === "default") {
        const vpc = getVpcOutput({ default: true });
        const subnets = getSubnetsOutput({ filters: [{ name: "vpc-id", values: [vpc.id] }, { name: "default-for-az", values: ["true"] }] });
        return { vpcId: vpc.id, publicSubnetIds: subnets.ids, taskSubnetIds: subnets.ids, assignPublicIp: true, ipStack: IpStack.Ipv4, endpoints: [] };
    }
    if (network.ipv6) {
        const vpc = new DualStackVpc(env.name, { cidr: network.cidr, availabilityZones: network.availabilityZones, natGateways: network.natGateways, taskSubnets: network.taskSubnets, region, tags });
        const endpoints =
            network.vpcEndpoints && network.taskSubnets === "private"
                ? createInterfaceEndpoints(env.name, vpc.vpcId, vpc.privateSubnetIds, network.cidr, region, interfaceEndpointServices(endpointUseOf(env)), tags)
                : [];
        return {
            vpcId: vpc.vpcId,
            publicSubnetIds: vpc.publicSubnetIds,
            taskSubnetIds: vpc.taskSubnetIds,
            assignPublicIp,
            ipStack: network.taskSubnets === "ipv6Only" ? IpStack.Ipv6 : IpStack.Dualstack,
            vpc,
            endpoints,
        };
    }

    const privateSubnets = network.taskSubnets === "private";
    const vpc = new Vpc(env.name, {
        cidrBlock: network.cidr,
        numberOfAvailabilityZones: network.availabilityZones,
        enableDnsHostnames: true,
        natGateways: { strategy: NAT_STRATEGY[network.natGateways] },
        subnetStrategy: "Auto",
        // Without private tasks there is nothing to put in private subnets.
        subnetSpecs: privateSubnets ? [{ type: "Public" }, { type: "Private" }] : [{ type: "Public" }],
        // ECR keeps image layers in S3. The S3 gateway endpoint is free: without a NAT gateway it is the
        // only way private tasks reach the layers, and with one it keeps layer traffic off NAT's per-GB
        // charge. "Auto" attaches it to every route table the VPC creates; awsx's default ("Legacy")
        // attaches it to none, which leaves the endpoint unused.
        vpcEndpointStrategy: "Auto",
        vpcEndpointSpecs: [{ serviceName: `com.amazonaws.${region}.s3`, vpcEndpointType: "Gateway" }],
        tags,
    });
    const endpoints =
        network.vpcEndpoints && privateSubnets
            ? createInterfaceEndpoints(env.name, vpc.vpcId, vpc.privateSubnetIds, network.cidr, region, interfaceEndpointServices(endpointUseOf(env)), tags)
            : [];
    return {
        vpcId: vpc.vpcId,
        publicSubnetIds: vpc.publicSubnetIds,
        taskSubnetIds: privateSubnets ? vpc.privateSubnetIds : vpc.publicSubnetIds,
        assignPublicIp,
        ipStack: IpStack.Ipv4,
        vpc,
        endpoints,
    };
}

/** The AWS services the tasks use, reachable from private subnets, over HTTPS from the VPC only. */
function createInterfaceEndpoints(
    name: string,
    vpcId: pulumi.Input<string>,
    subnetIds: pulumi.Input<string[]>,
    cidr: string,
    region: string,
    services: string[],
    tags: Record<string, string>,
): VpcEndpoint[] {
    const group = new SecurityGroup(`${name}-endpoints`, { vpcId, description: "VPC endpoints: HTTPS from inside the VPC", tags });
    new SecurityGroupIngressRule(`${name}-endpoints-https`, {
        securityGroupId: group.id,
        cidrIpv4: cidr,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "HTTPS from the VPC",
        tags,
    });
    return services.map(
        (service) =>
            new VpcEndpoint(`${name}-${service.replace(".", "-")}`, {
                vpcId,
                serviceName: `com.amazonaws.${region}.${service}`,
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds,
                securityGroupIds: [group.id],
                tags,
            }),
    );
}
