import * as pulumi from "@pulumi/pulumi";
import { Service, ServiceArgs } from "@pulumi/aws/ecs/service";
import type { StrategyItem } from "../core/capacity";
import { DEPLOYMENT_ALARM, EcsStrategyConfiguration, PROVIDER_WAIT_MINUTES, providerWaitMinutes } from "../core/deploymentStrategy";
import { MAIN_CONTAINER } from "../core/serviceSchema";
import { awsName } from "../core/names";

/** What an ECS service needs beyond its task definition; every long-running service here is made so. */
export interface EcsServiceSettings {
    clusterArn: pulumi.Input<string>;
    taskDefinitionArn: pulumi.Input<string>;
    desiredCount: number;
    /** The service's own capacity provider strategy (a provider's name may be an output); undefined follows the cluster's default. */
    capacityStrategy?: (Omit<StrategyItem, "capacityProvider"> & { capacityProvider: pulumi.Input<string> })[];
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
    /** The strategy, as ECS takes it (`{ strategy: "ROLLING" }` for a rolling update). */
    strategy?: EcsStrategyConfiguration;
    /** The second target group, rules and role of a blue/green, linear or canary service. */
    advancedConfiguration?: {
        alternateTargetGroupArn: pulumi.Input<string>;
        productionListenerRule: pulumi.Input<string>;
        testListenerRule?: pulumi.Input<string>;
        roleArn: pulumi.Input<string>;
    };
    lifecycleHooks?: { hookTargetArn: pulumi.Input<string>; lifecycleStages: string[]; roleArn: pulumi.Input<string> }[];
    /** CloudWatch alarms that fail the deployment, and whether ECS then rolls back. */
    alarms?: { alarmNames: pulumi.Input<string>[]; rollback: boolean };
    /** The service's place in ECS Service Connect, when it has one. */
    serviceConnect?: ServiceArgs["serviceConnectConfiguration"];
    tags?: Record<string, string>;
}

/**
 * An ECS service with the settings that make deploys safe: circuit breaker with rollback, latest
 * platform, AZ rebalancing, tags propagated, and the running count left to the autoscaler.
 */
export function createEcsService(name: string, s: EcsServiceSettings, parent: pulumi.Resource, dependsOn: pulumi.Resource[] = []): Service {
    const waitMinutes = providerWaitMinutes(s.strategy, s.alarms ? DEPLOYMENT_ALARM.period * DEPLOYMENT_ALARM.evaluationPeriods : 0);
    return new Service(
        awsName("ecsService", name),
        {
            cluster: s.clusterArn,
            taskDefinition: s.taskDefinitionArn,
            desiredCount: s.desiredCount,
            // Without a strategy (a shared cluster, no `capacity`), ECS applies the cluster's default.
            capacityProviderStrategies: s.capacityStrategy,
            // ECS only applies a changed strategy together with a new deployment.
            forceNewDeployment: s.capacityStrategy !== undefined ? true : undefined,
            platformVersion: "LATEST",
            networkConfiguration: { subnets: s.subnetIds, securityGroups: s.securityGroupIds, assignPublicIp: s.assignPublicIp },
            loadBalancers: s.target
                ? [{ targetGroupArn: s.target.targetGroupArn, containerName: MAIN_CONTAINER, containerPort: s.target.port, advancedConfiguration: s.advancedConfiguration }]
                : undefined,
            healthCheckGracePeriodSeconds: s.target?.healthCheckGracePeriod,
            // On for every strategy: ECS detects failures with the circuit breaker and alarms in rolling and
            // blue/green-family deployments alike (developerguide/deployment-failure-detection.html).
            deploymentCircuitBreaker: { enable: true, rollback: true },
            // Sent even for a rolling update: the provider keeps a strategy it is no longer told about.
            deploymentConfiguration: s.strategy ? { ...s.strategy, lifecycleHooks: s.lifecycleHooks } : undefined,
            alarms: s.alarms ? { alarmNames: s.alarms.alarmNames, enable: true, rollback: s.alarms.rollback } : undefined,
            deploymentMinimumHealthyPercent: s.minHealthyPercent,
            deploymentMaximumPercent: s.maxPercent,
            enableExecuteCommand: s.enableExecuteCommand,
            serviceConnectConfiguration: s.serviceConnect,
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
            // Waiting for steady state covers the strategy's bake times: give the provider that long.
            customTimeouts: waitMinutes > PROVIDER_WAIT_MINUTES ? { create: `${waitMinutes}m`, update: `${waitMinutes}m` } : undefined,
        },
    );
}
