import * as assert from "node:assert/strict";
import type { StackResource } from "../analysis/stackResources";
import { PlannedResource, ProgramRun, runProgram } from "../plan/engine";

/** Runs a program offline as project "proj", stack "test", region eu-west-1. */
export function run(program: () => unknown, stack = "test"): Promise<ProgramRun> {
    return runProgram(program, { project: "proj", stack, config: { "aws:region": "eu-west-1" } });
}

export function ofType(run: ProgramRun, type: string): PlannedResource[] {
    return run.resources.filter((r) => r.type === type);
}

/** The single resource of a type (optionally with this logical name); fails if there is not exactly one. */
export function one(run: ProgramRun, type: string, name?: string): PlannedResource {
    const found = ofType(run, type).filter((r) => name === undefined || r.name === name);
    assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
    return found[0];
}

export function json<T = any>(value: unknown): T {
    return typeof value === "string" ? JSON.parse(value) : (value as T);
}

/** Expects `fn` to throw a validation error whose message contains every fragment. */
export function throwsProblems(fn: () => unknown, ...fragments: string[]): string {
    let message = "";
    try {
        fn();
    } catch (error) {
        message = (error as Error).message;
        assert.equal((error as Error).name, "ValidationError", `expected a ValidationError, got ${(error as Error).name}: ${message}`);
    }
    assert.ok(message, "expected the call to throw");
    for (const fragment of fragments) assert.ok(message.includes(fragment), `expected "${fragment}" in:\n${message}`);
    return message;
}

export const TASK_TYPES = {
    service: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    cluster: "aws:ecs/cluster:Cluster",
    capacityProviders: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    repository: "aws:ecr/repository:Repository",
    lifecyclePolicy: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    scalableTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    scheduledAction: "aws:appautoscaling/scheduledAction:ScheduledAction",
    bucket: "aws:s3/bucket:Bucket",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    image: "docker-build:index:Image",
} as const;

let graphSerial = 0;

/** A resource of a hand-made stack graph, named r1, r2, … and linked to others by input (`props`) or by dependency (`deps`). */
export function graphResource(
    type: string,
    inputs: Record<string, any> = {},
    links: { props?: Record<string, StackResource[]>; deps?: StackResource[]; custom?: boolean; parent?: StackResource } = {},
    extra: Partial<StackResource> = {},
): StackResource {
    const name = `r${++graphSerial}`;
    return {
        urn: `urn:pulumi:test::proj::${type}::${name}`,
        type,
        name,
        custom: links.custom ?? true,
        parent: links.parent?.urn,
        inputs,
        propertyDependencies: Object.fromEntries(Object.entries(links.props ?? {}).map(([k, v]) => [k, v.map((x) => x.urn)])),
        dependencies: (links.deps ?? []).map((x) => x.urn),
        options: {},
        ...extra,
    };
}
