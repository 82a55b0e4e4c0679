import * as pulumi from "@pulumi/pulumi";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicy } from "@pulumi/aws/iam/rolePolicy";
import type { ListenerRule } from "@pulumi/aws/lb/listenerRule";
import type { TargetGroup } from "@pulumi/aws/lb/targetGroup";
import { STRATEGY_DEFAULTS } from "../core/deploymentStrategy";
import { ecsServiceTrustPolicy, invokeHooksPolicy, trafficShiftPolicy } from "../core/iamDocuments";
import { awsName } from "../core/names";
import type { ListenerRuleArgs, TargetHealthCheckArgs } from "./fargateServiceArgs";
import { createListenerRule, createTargetGroup } from "./serviceTarget";
import type { LifecycleHookArgs, TestTrafficArgs } from "./workloadArgs";

/**
 * What a blue/green, linear or canary deployment needs beside the service, with ECS's own
 * deployment controller (no CodeDeploy): a second (alternate) target group, a production listener
 * rule that forwards to both with weights ECS moves, an optional test listener rule, and a role
 * that lets ECS move them and nothing else. AWS's list of these resources:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb-resources-for-blue-green.html
 */

export interface TrafficShiftSettings {
    vpcId: pulumi.Input<string>;
    port: number;
    healthCheck?: TargetHealthCheckArgs;
    deregistrationDelay?: number;
    /** The tasks are in IPv6-only subnets: both target groups register IPv6 addresses. */
    ipv6Targets?: boolean;
    listenerArn: pulumi.Input<string>;
    /** The production rule's conditions and priority. */
    rule: ListenerRuleArgs;
    /** The service's first (blue) target group. */
    targetGroup: TargetGroup;
    testTraffic?: TestTrafficArgs;
}

export interface TrafficShift {
    alternateTargetGroup: TargetGroup;
    productionRule: ListenerRule;
    testRule?: ListenerRule;
    role: Role;
    rolePolicy: RolePolicy;
    /** `loadBalancers[].advancedConfiguration` of the ECS service. */
    advancedConfiguration: {
        alternateTargetGroupArn: pulumi.Output<string>;
        productionListenerRule: pulumi.Output<string>;
        testListenerRule?: pulumi.Output<string>;
        roleArn: pulumi.Output<string>;
    };
}

export function createTrafficShift(name: string, s: TrafficShiftSettings, parent: pulumi.Resource, tags: Record<string, string> | undefined): TrafficShift {
    // The same port and health check as the first target group: either holds production traffic after a deploy.
    const alternateTargetGroup = createTargetGroup(
        `${name}-alt`,
        { vpcId: s.vpcId, port: s.port, healthCheck: s.healthCheck, deregistrationDelay: s.deregistrationDelay, ipv6Targets: s.ipv6Targets },
        parent,
        tags,
    );
    const pair = { targetGroupArn: s.targetGroup.arn, alternateTargetGroupArn: alternateTargetGroup.arn };
    const productionRule = createListenerRule(name, s.listenerArn, s.rule, s.targetGroup.arn, parent, tags, pair);
    const testRule = s.testTraffic
        ? createListenerRule(
              `${name}-test`,
              s.listenerArn,
              { ...s.rule, priority: s.testTraffic.priority ?? s.rule.priority - 1 },
              s.targetGroup.arn,
              parent,
              tags,
              pair,
              { name: s.testTraffic.header ?? STRATEGY_DEFAULTS.testTrafficHeader, value: s.testTraffic.value },
          )
        : undefined;

    const role = new Role(
        awsName("iamRole", `${name}-traffic`),
        {
            description: "ECS infrastructure role: moves this service's traffic between its two target groups during deployments",
            assumeRolePolicy: JSON.stringify(ecsServiceTrustPolicy()),
            tags,
        },
        { parent },
    );
    const rules = [productionRule.arn, ...(testRule ? [testRule.arn] : [])];
    const rolePolicy = new RolePolicy(
        awsName("iamRolePolicy", `${name}-traffic`),
        {
            role: role.id,
            policy: pulumi.all([s.targetGroup.arn, alternateTargetGroup.arn, ...rules]).apply(([blue, green, ...ruleArns]) => JSON.stringify(trafficShiftPolicy([blue, green], ruleArns))),
        },
        { parent },
    );
    return {
        alternateTargetGroup,
        productionRule,
        testRule,
        role,
        rolePolicy,
        advancedConfiguration: {
            alternateTargetGroupArn: alternateTargetGroup.arn,
            productionListenerRule: productionRule.arn,
            testListenerRule: testRule?.arn,
            roleArn: role.arn,
        },
    };
}

export interface HookSettings {
    hookTargetArn: pulumi.Input<string>;
    lifecycleStages: string[];
    roleArn: pulumi.Input<string>;
}

/**
 * The lifecycle hooks as ECS takes them. Hooks without a role of their own share one made for the
 * service, which may invoke those functions and nothing else.
 */
export function lifecycleHooks(name: string, hooks: LifecycleHookArgs[], parent: pulumi.Resource, tags: Record<string, string> | undefined): { hooks: HookSettings[]; role?: Role; policy?: RolePolicy } {
    const roleless = hooks.filter((h) => h.roleArn === undefined);
    let role: Role | undefined;
    let policy: RolePolicy | undefined;
    if (roleless.length > 0) {
        role = new Role(
            awsName("iamRole", `${name}-hooks`),
            { description: "ECS lifecycle hooks: invokes this service's deployment hook functions", assumeRolePolicy: JSON.stringify(ecsServiceTrustPolicy()), tags },
            { parent },
        );
        policy = new RolePolicy(
            awsName("iamRolePolicy", `${name}-hooks`),
            { role: role.id, policy: pulumi.all(roleless.map((h) => pulumi.output(h.functionArn))).apply((arns) => JSON.stringify(invokeHooksPolicy([...new Set(arns)]))) },
            { parent },
        );
    }
    return {
        hooks: hooks.map((h) => ({ hookTargetArn: h.functionArn, lifecycleStages: [...h.stages], roleArn: h.roleArn ?? role!.arn })),
        role,
        policy,
    };
}
