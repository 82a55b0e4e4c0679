import * as pulumi from "@pulumi/pulumi";
import { ListenerRule } from "@pulumi/aws/lb/listenerRule";
import { TargetGroup } from "@pulumi/aws/lb/targetGroup";
import { SecurityGroupEgressRule } from "@pulumi/aws/vpc/securityGroupEgressRule";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc/securityGroupIngressRule";
import { ec2Description } from "../core/aws/ec2Rules";
import { awsName } from "../core/names";
import { TARGET_DEFAULTS } from "../core/serviceDefaults";
import type { ListenerRuleArgs, TargetHealthCheckArgs } from "./fargateServiceArgs";

export { TARGET_DEFAULTS };

/** The target group of a service: IP targets (Fargate's awsvpc tasks) on the container port. */
export function createTargetGroup(
    name: string,
    args: { vpcId: pulumi.Input<string>; port: number; healthCheck?: TargetHealthCheckArgs; deregistrationDelay?: number },
    parent: pulumi.Resource,
    tags: Record<string, string> | undefined,
): TargetGroup {
    const check = { ...TARGET_DEFAULTS.healthCheck, ...args.healthCheck };
    return new TargetGroup(
        awsName("targetGroup", name),
        {
            vpcId: args.vpcId,
            targetType: "ip",
            protocol: "HTTP",
            port: args.port,
            deregistrationDelay: args.deregistrationDelay ?? TARGET_DEFAULTS.deregistrationDelay,
            healthCheck: { enabled: true, protocol: "HTTP", port: "traffic-port", ...check },
            tags,
        },
        { parent },
    );
}

/** A rule on a shared listener that sends matching requests to the target group. */
export function createListenerRule(
    name: string,
    listenerArn: pulumi.Input<string>,
    rule: ListenerRuleArgs,
    targetGroupArn: pulumi.Input<string>,
    parent: pulumi.Resource,
    tags: Record<string, string> | undefined,
): ListenerRule {
    const conditions = [
        ...(rule.hostHeaders ? [{ hostHeader: { values: rule.hostHeaders } }] : []),
        ...(rule.pathPatterns ? [{ pathPattern: { values: rule.pathPatterns } }] : []),
    ];
    return new ListenerRule(name, { listenerArn, priority: rule.priority, conditions, actions: [{ type: "forward", targetGroupArn }], tags }, { parent });
}

export interface LoadBalancerConnection {
    /** Tasks admit the load balancer on the container port. */
    ingress: SecurityGroupIngressRule;
    /** The load balancer may reach the tasks on that port (and nothing else of theirs). */
    egress: SecurityGroupEgressRule;
}

/** The two security group rules that let one load balancer, and only it, reach the tasks. */
export function connectLoadBalancer(
    name: string,
    loadBalancerSecurityGroupId: pulumi.Input<string>,
    taskSecurityGroupId: pulumi.Input<string>,
    port: number,
    parent: pulumi.Resource,
    tags: Record<string, string> | undefined,
): LoadBalancerConnection {
    const ingress = new SecurityGroupIngressRule(
        `${name}-from-lb`,
        {
            securityGroupId: taskSecurityGroupId,
            referencedSecurityGroupId: loadBalancerSecurityGroupId,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            description: `Container port ${port} from the load balancer`,
            tags,
        },
        { parent },
    );
    const egress = new SecurityGroupEgressRule(
        `${name}-to-tasks`,
        {
            securityGroupId: loadBalancerSecurityGroupId,
            referencedSecurityGroupId: taskSecurityGroupId,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            description: ec2Description(`To the tasks of ${name} on port ${port}`),
            tags,
        },
        { parent },
    );
    return { ingress, egress };
}

/** `app/<name>/<id>` of the load balancer behind a listener ARN, for request-count scaling. */
export function loadBalancerSuffixOfListener(listenerArn: string): string {
    const match = /:listener\/(app\/[^/]+\/[^/]+)\//.exec(listenerArn);
    return match ? match[1] : "";
}
