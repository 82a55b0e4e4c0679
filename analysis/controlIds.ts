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
    "ecr-pull-only",
    "cost-budget",
    "nat-gateway-count",
    "stateful-protection",
    "service-connect-callers",
    "network-listener-tls",
] as const;

export const CONTROL_IDS = [...SECURITY_HUB_CONTROLS, ...OWN_CONTROLS] as const;

/**
 * The Network Load Balancer's counterpart of ELB.1: an internet-facing listener terminates TLS.
 * Waivable everywhere, with a reason: a service may speak TLS itself, or a protocol of its own.
 */
export const NETWORK_TLS_CONTROL = "network-listener-tls" as const;
export type ControlId = (typeof CONTROL_IDS)[number];

/**
 * The controls a prod stack can never waive, each with why. A waiver of one of these in an
 * environment whose preset locks them is a config error, whatever its reason, expiry or approver.
 * The README's table of them is generated from this list (`npm run docs:controls`) and checked by
 * a test, so the two cannot drift.
 */
export const NON_WAIVABLE_IN_PROD: readonly { id: ControlId; why: string }[] = [
    { id: "ELB.1", why: "HTTPS: without it, passwords, cookies and tokens cross the internet in clear text" },
    { id: "ELB.17", why: "HTTPS with a current TLS policy: TLS 1.0 and 1.1 are broken (RFC 8996)" },
    { id: "ECS.8", why: "secrets in environment variables sit in plain text in the task definition, visible to anyone who may describe it" },
    { id: "IAM.1", why: "administrator access (AdministratorAccess, PowerUserAccess, IAMFullAccess, or \"*\" on \"*\") turns one compromised container into a compromised account" },
    { id: "EC2.19", why: "high-risk ports (SSH, RDP, databases) open to the internet are scanned within minutes" },
    { id: "ELB.6", why: "the load balancer carries the environment's public name; deleting it by mistake is an outage" },
    { id: "stateful-protection", why: "queues, repositories, log groups, buckets and file systems hold data that a mistaken destroy or rename would lose for good" },
];
