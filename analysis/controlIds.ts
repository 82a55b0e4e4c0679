/**
 * The controls the plan reports and the policy pack enforces: AWS Security Hub controls (by their
 * IDs, which Security Hub keeps stable while titles change) and this project's own reliability and
 * cost rules. A stack's waivers name controls from this list.
 */
export const SECURITY_HUB_CONTROLS = [
    "ECS.2", "ECS.4", "ECS.5", "ECS.8", "ECS.9", "ECS.10", "ECS.12",
    "ECR.1", "ECR.2", "ECR.3",
    "ELB.1", "ELB.4", "ELB.5", "ELB.6", "ELB.12", "ELB.13", "ELB.17",
    "IAM.1", "IAM.21",
    "EC2.18", "EC2.19",
    "CloudWatch.16",
] as const;

export const OWN_CONTROLS = [
    "circuit-breaker",
    "spot-on-demand-base",
    "deregistration-delay",
    "rolling-update-time",
    "ecr-lifecycle-rules",
    "cost-budget",
    "nat-gateway-count",
] as const;

export const CONTROL_IDS = [...SECURITY_HUB_CONTROLS, ...OWN_CONTROLS] as const;
export type ControlId = (typeof CONTROL_IDS)[number];
