/**
 * TLS security policies of Application Load Balancer HTTPS listeners.
 *
 * Source: Elastic Load Balancing user guide, "Security policies for your Application Load
 * Balancer" (read 2026-11-22): TLS 1.3 policies of 2021-06, FIPS policies of 2023-04 and hybrid
 * post-quantum policies of 2025-09; AWS recommends `ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09`
 * for new listeners. Listeners created through an API without a policy get
 * `ELBSecurityPolicy-2016-08`, which still allows TLS 1.0: Security Hub ELB.17 flags that.
 */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** Policies that allow only TLS 1.2 and 1.3 with forward-secret ciphers. */
export const RECOMMENDED_SSL_POLICIES: readonly string[] = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
];

export function isRecommendedSslPolicy(policy: string | undefined): boolean {
    // Stryker disable next-line ConditionalExpression: includes(undefined) is false too; the check narrows the type
    return policy !== undefined && RECOMMENDED_SSL_POLICIES.includes(policy);
}
