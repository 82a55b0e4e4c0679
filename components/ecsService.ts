import * as pulumi from "@pulumi/pulumi";
import { Service } from "@pulumi/aws/ecs/service";
import type { StrategyItem } from "../core/capacity";
import { MAIN_CONTAINER } from "../core/serviceSchema";
import { awsName } from "../core/names";

/** What an ECS service needs beyond its task definition; every long-running service here is made so. */
export interface EcsServiceSettings {
    clusterArn: pulumi.Input<string>;
    taskDefinitionArn: pulumi.Input<string>;
    desiredCount: number;
    /** The service's own strategy; undefined follows the cluster's default. */
    strategy?: StrategyItem[];
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    securityGroupIds: pulumi.Input<string>[];
    assignPublicIp: boolean;
    /** The target group and container port, for a load-balanced service. */
    target?: { targetGroupArn: pulumi.Input<string>; port: number; healthCheckGracePeriod: number };
    minHealthyPercent: number;
    maxPercent: number;
    waitForSteadyState: boolean;
    enableExecuteCommand: boolean;
    /** An autoscaler owns the running count. */
    scaled: boolean;
    tags?: Record<string, string>;
}

/**
 * An ECS service with the settings that make deploys safe: circuit breaker with rollback, latest
 * platform, AZ rebalancing, tags propagated, and the running count left to the autoscaler.
 */
export function createEcsService(name: string, s: EcsServiceSettings, parent: pulumi.Resource, dependsOn: pulumi.Resource[] = []): Service {
    return new Service(
        awsName("ecsService", name),
        {
            cluster: s.clusterArn,
            taskDefinition: s.taskDefinitionArn,
            desiredCount: s.desiredCount,
            // Without a strategy (a shared cluster, no `capacity`), ECS applies the cluster's default.
            capacityProviderStrategies: s.strategy,
            // ECS only applies a changed strategy together with a new deployment.
            forceNewDeployment: s.strategy !== undefined ? true : undefined,
            platformVersion: "LATEST",
            networkConfiguration: { subnets: s.subnetIds, securityGroups: s.securityGroupIds, assignPublicIp: s.assignPublicIp },
            loadBalancers: s.target ? [{ targetGroupArn: s.target.targetGroupArn, containerName: MAIN_CONTAINER, containerPort: s.target.port }] : undefined,
            healthCheckGracePeriodSeconds: s.target?.healthCheckGracePeriod,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            deploymentMinimumHealthyPercent: s.minHealthyPercent,
            deploymentMaximumPercent: s.maxPercent,
            enableExecuteCommand: s.enableExecuteCommand,
            availabilityZoneRebalancing: "ENABLED",
            propagateTags: "SERVICE",
            enableEcsManagedTags: true,
            waitForSteadyState: s.waitForSteadyState,
            tags: s.tags,
        },
        {
            parent,
            dependsOn,
            // The scaler owns the running count: a later deploy must not reset a scaled-out service.
            ignoreChanges: s.scaled ? ["desiredCount"] : [],
        },
    );
}
