/**
 * The choices and the name rules of an environment that the schema (environmentSchema.ts), the presets and the
 * published API all name. Kept apart from the zod schemas so that the published declarations of
 * the presets and the Automation API do not pull in zod's, which do not compile in a project
 * without `esModuleInterop` (Pulumi's TypeScript template).
 */

export const Preset = { dev: "dev", prod: "prod" } as const;
export type Preset = (typeof Preset)[keyof typeof Preset];

export const NatGateways = { none: "none", single: "single", onePerAz: "onePerAz" } as const;
export type NatGateways = (typeof NatGateways)[keyof typeof NatGateways];

export const NetworkMode = { vpc: "vpc", default: "default", existing: "existing" } as const;
export type NetworkMode = (typeof NetworkMode)[keyof typeof NetworkMode];

/**
 * Where the tasks run: public subnets with a public IPv4 address each, private subnets (out through
 * NAT gateways or VPC endpoints), or IPv6-only subnets (no IPv4 address at all, out through an
 * egress-only internet gateway; needs network.ipv6).
 */
export const TaskSubnets = { public: "public", private: "private", ipv6Only: "ipv6Only" } as const;
export type TaskSubnets = (typeof TaskSubnets)[keyof typeof TaskSubnets];

/** Names used in AWS resource names: short, lower-case, safe in every AWS name. */
export const SERVICE_NAME = /^[a-z][a-z0-9-]{0,19}$/;
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,15}$/;
