import type * as pulumi from "@pulumi/pulumi";
import { closestKey, describeValue } from "../core/validation";
import { ValidationError } from "../core/validationError";
import type { TargetArgs } from "@pulumi/aws/appautoscaling/target";
import type { LogGroupArgs } from "@pulumi/aws/cloudwatch/logGroup";
import type { SecurityGroupArgs } from "@pulumi/aws/ec2/securityGroup";
import type { RepositoryArgs } from "@pulumi/aws/ecr/repository";
import type { ClusterArgs } from "@pulumi/aws/ecs/cluster";
import type { ServiceArgs } from "@pulumi/aws/ecs/service";
import type { TaskDefinitionArgs } from "@pulumi/aws/ecs/taskDefinition";
import type { RoleArgs } from "@pulumi/aws/iam/role";
import type { ListenerArgs } from "@pulumi/aws/lb/listener";
import type { LoadBalancerArgs } from "@pulumi/aws/lb/loadBalancer";
import type { TargetGroupArgs } from "@pulumi/aws/lb/targetGroup";

/**
 * One hook per kind of child: the escape hatch for any setting our arguments do not cover. Each
 * receives the child's properties and returns the properties to use.
 */
export interface ChildTransforms {
    service?: (props: ServiceArgs) => ServiceArgs;
    taskDefinition?: (props: TaskDefinitionArgs) => TaskDefinitionArgs;
    executionRole?: (props: RoleArgs) => RoleArgs;
    taskRole?: (props: RoleArgs) => RoleArgs;
    logGroup?: (props: LogGroupArgs) => LogGroupArgs;
    repository?: (props: RepositoryArgs) => RepositoryArgs;
    cluster?: (props: ClusterArgs) => ClusterArgs;
    loadBalancer?: (props: LoadBalancerArgs) => LoadBalancerArgs;
    listener?: (props: ListenerArgs) => ListenerArgs;
    targetGroup?: (props: TargetGroupArgs) => TargetGroupArgs;
    securityGroup?: (props: SecurityGroupArgs) => SecurityGroupArgs;
    autoscalingTarget?: (props: TargetArgs) => TargetArgs;
}

const TYPES: Record<keyof ChildTransforms, string> = {
    service: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    executionRole: "aws:iam/role:Role",
    taskRole: "aws:iam/role:Role",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    repository: "aws:ecr/repository:Repository",
    cluster: "aws:ecs/cluster:Cluster",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    autoscalingTarget: "aws:appautoscaling/target:Target",
};

/** Which hook a child takes: by type, and for the two roles by the suffix of their name. */
export function hookFor(type: string, name: string): keyof ChildTransforms | undefined {
    if (type === TYPES.executionRole) return name.endsWith("-execution") ? "executionRole" : name.endsWith("-task") ? "taskRole" : undefined;
    return (Object.keys(TYPES) as (keyof ChildTransforms)[]).find((key) => TYPES[key] === type);
}

/**
 * Turns typed hooks into Pulumi `transforms`, to pass in a component's resource options; they reach
 * every child, including children of nested components.
 *
 * @example
 * ```ts
 * new FargateService("api", args, {
 *     transforms: childTransforms({
 *         targetGroup: (props) => ({ ...props, slowStart: 30 }),
 *         service: (props) => ({ ...props, enableExecuteCommand: true }),
 *     }),
 * });
 * ```
 */
export function childTransforms(hooks: ChildTransforms): pulumi.ResourceTransform[] {
    const known = Object.keys(TYPES);
    const problems = Object.entries(typeof hooks === "object" && hooks !== null ? hooks : {}).flatMap(([key, hook]) => {
        if (!known.includes(key)) {
            const guess = closestKey(key, known);
            return [{ path: key, message: `is not a child this package transforms${guess ? `; did you mean "${guess}"?` : `; children: ${known.join(", ")}`}` }];
        }
        return typeof hook === "function" || hook === undefined ? [] : [{ path: key, message: `expected a function of the child's arguments, got ${describeValue(hook)}` }];
    });
    if (typeof hooks !== "object" || hooks === null) problems.push({ path: "hooks", message: `expected a map of child names to functions, got ${describeValue(hooks)}` });
    if (problems.length > 0) throw new ValidationError("childTransforms", problems);
    return [
        (args) => {
            const key = hookFor(args.type, args.name);
            const hook = key ? (hooks[key] as ((props: pulumi.Inputs) => pulumi.Inputs) | undefined) : undefined;
            return hook ? { props: hook(args.props), opts: args.opts } : undefined;
        },
    ];
}
