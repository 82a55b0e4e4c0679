import * as pulumi from "@pulumi/pulumi";
import { SecurityGroup } from "@pulumi/aws/ec2/securityGroup";
import { SecurityGroupEgressRule } from "@pulumi/aws/vpc/securityGroupEgressRule";
import { IpStack, OutboundTraffic } from "../core/enums";
import { awsName } from "../core/names";

export interface TaskSecurityGroup {
    securityGroup: SecurityGroup;
    egressRules: SecurityGroupEgressRule[];
}

/**
 * The tasks' security group: nothing comes in unless a load balancer is given a rule for it
 * (see `connectLoadBalancer`); what goes out follows `outbound`.
 */
export function createTaskSecurityGroup(
    name: string,
    vpcId: pulumi.Input<string>,
    outbound: OutboundTraffic,
    parent: pulumi.Resource,
    tags: Record<string, string> | undefined,
    ipStack: IpStack = IpStack.Ipv4,
): TaskSecurityGroup {
    const securityGroup = new SecurityGroup(
        awsName("securityGroup", name),
        { vpcId, description: "Fargate tasks: in from their load balancer only", tags },
        { parent },
    );
    const egress =
        outbound === OutboundTraffic.Https
            ? { description: "HTTPS out: AWS APIs, image pulls", ipProtocol: "tcp", fromPort: 443, toPort: 443 }
            : { description: "All traffic out", ipProtocol: "-1" };
    // The same destinations over each protocol the subnets carry: IPv6-only tasks have no IPv4 to send from.
    const egressRules = [
        ...(ipStack !== IpStack.Ipv6 ? [new SecurityGroupEgressRule(`${name}-out`, { securityGroupId: securityGroup.id, cidrIpv4: "0.0.0.0/0", ...egress, tags }, { parent })] : []),
        ...(ipStack !== IpStack.Ipv4 ? [new SecurityGroupEgressRule(`${name}-out-ipv6`, { securityGroupId: securityGroup.id, cidrIpv6: "::/0", ...egress, tags }, { parent })] : []),
    ];
    return { securityGroup, egressRules };
}
