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
    args: { vpcId: pulumi.Input<string>; port: number; healthCheck?: TargetHealthCheckArgs; deregistrationDelay?: number; ipv6Targets?: boolean },
    parent: pulumi.Resource,
    tags: Record<string, string> | undefined,
): TargetGroup {
    const check = { ...TARGET_DEFAULTS.healthCheck, ...args.healthCheck };
    return new TargetGroup(
        awsName("targetGroup", name),
        {
            vpcId: args.vpcId,
            targetType: "ip",
            // Tasks in IPv6-only subnets register IPv6 addresses; left unset otherwise (ipv4), so
            // existing target groups see no change (the type cannot change in place).
            ...(args.ipv6Targets ? { ipAddressType: "ipv6" } : {}),
            protocol: "HTTP",
            port: args.port,
            deregistrationDelay: args.deregistrationDelay ?? TARGET_DEFAULTS.deregistrationDelay,
            healthCheck: { enabled: true, protocol: "HTTP", port: "traffic-port", ...check },
            tags,
        },
        { parent },
    );
}

/** The tag that marks a rule whose forward action ECS owns (a service with an alternate target group). */
export const TRAFFIC_SHIFTED_TAG = "ecs-deployment";

/**
 * The parts of a production or test rule that ECS rewrites at each blue/green, linear or canary
 * deployment: the forward action's target group (a weighted `forward` over both groups, or a single
 * `targetGroupArn`). Pulumi leaves exactly these to ECS: the next `pulumi up` (or one after
 * `pulumi refresh`) would otherwise send production traffic back to a target group whose tasks ECS
 * has stopped (503s). The same rule is also never replaced when a service moves from rolling to
 * blue/green: its old forward to the first target group is kept, and ECS rewrites it into the
 * weighted form at the first deployment (terraform-provider-aws#43905; pulumi's ignoreChanges keeps
 * the old value of each path, and drops a path the old inputs do not have:
 * https://www.pulumi.com/docs/iac/concepts/options/ignorechanges/).
 */
export const ECS_OWNED_RULE_PATHS = ["actions[0].forward", "actions[0].targetGroupArn"] as const;

/**
 * A rule on a listener that sends matching requests to the service's target group. With `shift`
 * (a service with an alternate target group: blue/green, linear, canary, or rolling after one of
 * them) it forwards to both target groups, 100 and 0, and ECS moves the weights at each deployment:
 * Pulumi then leaves the forward target alone (ECS_OWNED_RULE_PATHS). Its name is the same in every
 * strategy, so changing strategy updates the rule in place and never deletes it first.
 */
export function createListenerRule(
    name: string,
    listenerArn: pulumi.Input<string>,
    rule: ListenerRuleArgs,
    targetGroupArn: pulumi.Input<string>,
    parent: pulumi.Resource,
    tags: Record<string, string> | undefined,
    shift?: { targetGroupArn: pulumi.Input<string>; alternateTargetGroupArn: pulumi.Input<string> },
    header?: { name: string; value: string },
): ListenerRule {
    const conditions = [
        ...(rule.hostHeaders ? [{ hostHeader: { values: rule.hostHeaders } }] : []),
        ...(rule.pathPatterns ? [{ pathPattern: { values: rule.pathPatterns } }] : []),
        ...(header ? [{ httpHeader: { httpHeaderName: header.name, values: [header.value] } }] : []),
    ];
    if (!shift) return new ListenerRule(name, { listenerArn, priority: rule.priority, conditions, actions: [{ type: "forward", targetGroupArn }], tags }, { parent });
    const forward = { targetGroups: [{ arn: shift.targetGroupArn, weight: 100 }, { arn: shift.alternateTargetGroupArn, weight: 0 }] };
    return new ListenerRule(
        name,
        { listenerArn, priority: rule.priority, conditions, actions: [{ type: "forward", forward }], tags: { ...tags, [TRAFFIC_SHIFTED_TAG]: "traffic-shifting" } },
        { parent, ignoreChanges: [...ECS_OWNED_RULE_PATHS] },
    );
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
