/**
 * `pulumi-fargate-service/environments`: whole environments (network, one cluster, one shared load
 * balancer, the services) described by stack config, checked against a schema, with dev and prod
 * presets. Use `environmentProgram` as a Pulumi program, or `resolveEnvironment` to check a config
 * before deploying it.
 *
 * @module pulumi-fargate-service/environments
 */
export { environmentProgram, buildEnvironment } from "./program";
export { resolveEnvironment, environmentConfigFromPulumi, parseConfigValue, isEnvironmentKey } from "./environment";
export type { EnvironmentSpec, ResolvedNetwork, ResolveOptions, ServiceSpec } from "./environment";
export {
    environmentSchema,
    environmentShape,
    networkSchema,
    environmentClusterSchema,
    environmentLoadBalancerSchema,
    environmentServiceSchema,
    domainSchema,
    waiverSchema,
    budgetSchema,
    costAssumptionsSchema,
    deployTargetSchema,
    Preset,
    NatGateways,
    NetworkMode,
    TaskSubnets,
    SERVICE_NAME,
    ENVIRONMENT_NAME,
} from "./environmentSchema";
export type { EnvironmentConfig } from "./environmentSchema";
export { stackFileJsonSchema } from "./stackFileSchema";
export { PRESETS, DEV_RELAXATIONS } from "./presets";
export type { PresetDefaults, NetworkDefaults } from "./presets";
export type { EnvironmentNetwork } from "./network";
export type { Capacity } from "../core/capacity";
