/**
 * `@fargate-service/automation/environments`: whole environments (network, one cluster, one shared load
 * balancer, the services) described by stack config, checked against a schema, with dev and prod
 * presets. Use `environmentProgram` as a Pulumi program, or `resolveEnvironment` to check a config
 * before deploying it.
 *
 * @module @fargate-service/automation/environments
 */
export { environmentProgram, buildEnvironment } from "./program";
export { resolveEnvironment, environmentConfigFromPulumi, parseConfigValue, isEnvironmentKey } from "./environment";
export type { EnvironmentSpec, ResolvedNetwork, ResolveOptions, ServiceSpec } from "./environment";
// The zod schemas stay inside: their declarations do not compile without esModuleInterop (Pulumi's
// TypeScript template), https://github.com/colinhacks/zod/issues/5160. A config is checked with
// resolveEnvironment, and stackFileJsonSchema gives the same schema as JSON Schema.
export { Preset, NatGateways, NetworkMode, TaskSubnets, SERVICE_NAME, ENVIRONMENT_NAME } from "./environmentEnums";
export { stackFileJsonSchema } from "./stackFileSchema";
export { PRESETS, DEV_RELAXATIONS } from "./presets";
export type { PresetDefaults, NetworkDefaults } from "./presets";
export type { EnvironmentNetwork } from "./network";
export type { Capacity } from "../core/capacity";
