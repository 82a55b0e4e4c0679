import { price } from "../analysis/costModel";

/**
 * What the same workload costs as two well-known tools build it by default, as data: the
 * resources their defaults create, each with the source it was read from, priced with the plan's
 * own price table. Only the lines the targets compare are modelled: Fargate, load balancer hours,
 * NAT gateway hours, VPC endpoint hours and public IPv4 addresses.
 */

export interface AnchorModel {
    name: string;
    availabilityZones: number;
    natGateways: number;
    /** Zones (so public IPv4 addresses) of the internet-facing load balancer. */
    loadBalancerZones: number;
    interfaceEndpoints: number;
    architecture: "x86" | "arm";
    /** Share of the tasks on Fargate Spot. */
    spotShare: number;
    /** Public IPv4 address per task. */
    taskPublicIp: boolean;
    sources: string[];
}

export const CDK_ALB_FARGATE_SERVICE: AnchorModel = {
    name: "AWS CDK ApplicationLoadBalancedFargateService (no vpc or cluster given)",
    // The pattern creates a cluster, whose default VPC has maxAzs 2 and one NAT gateway per AZ;
    // tasks in private subnets, an internet-facing ALB in the public ones, launch type FARGATE, x86.
    availabilityZones: 2,
    natGateways: 2,
    loadBalancerZones: 2,
    interfaceEndpoints: 0,
    architecture: "x86",
    spotShare: 0,
    taskPublicIp: false,
    sources: [
        "https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/aws-ecs-patterns/lib/base/application-load-balanced-service-base.ts",
        "https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/aws-ecs/lib/cluster.ts",
        "https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/aws-ec2/lib/vpc.ts",
    ],
};

export const AWSX_DEFAULTS: AnchorModel = {
    name: "awsx ec2.Vpc + lb.ApplicationLoadBalancer + ecs.FargateService defaults",
    // ec2.Vpc: 3 AZs, NAT strategy OnePerAz; the ALB in the VPC's public subnets; FargateService
    // launch type FARGATE, x86, assignPublicIp false.
    availabilityZones: 3,
    natGateways: 3,
    loadBalancerZones: 3,
    interfaceEndpoints: 0,
    architecture: "x86",
    spotShare: 0,
    taskPublicIp: false,
    sources: [
        "https://github.com/pulumi/pulumi-awsx/blob/master/awsx/ec2/vpc.ts",
        "https://github.com/pulumi/pulumi-awsx/blob/master/awsx/lb/applicationLoadBalancer.ts",
        "https://github.com/pulumi/pulumi-awsx/blob/master/awsx/ecs/fargateService.ts",
    ],
};

export interface Workload {
    tasks: number;
    vcpu: number;
    memoryGb: number;
}

export interface ComparedLines {
    fargate: number;
    loadBalancer: number;
    nat: number;
    endpoints: number;
    ipv4: number;
    total: number;
}

/** The compared lines of an anchor, a month, at the Spot discount given. */
export function priceAnchor(model: AnchorModel, w: Workload, hours = 730, spotDiscount = 0.7): ComparedLines {
    const perTaskHour = w.vcpu * price(`fargate.${model.architecture}.vcpuHour`) + w.memoryGb * price(`fargate.${model.architecture}.gbHour`);
    const fargate = w.tasks * hours * perTaskHour * (1 - model.spotShare * spotDiscount);
    const loadBalancer = hours * price("alb.hour");
    const nat = model.natGateways * hours * price("nat.hour");
    const endpoints = model.interfaceEndpoints * model.availabilityZones * hours * price("vpcEndpoint.azHour");
    const ipv4 = (model.loadBalancerZones + model.natGateways + (model.taskPublicIp ? w.tasks : 0)) * hours * price("publicIpv4.hour");
    return { fargate, loadBalancer, nat, endpoints, ipv4, total: fargate + loadBalancer + nat + endpoints + ipv4 };
}
