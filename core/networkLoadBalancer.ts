import { HIGH_RISK_PORTS, isWholeInternet } from "./aws/internetPorts";
import { NetworkHealthCheckProtocol, NetworkProtocol } from "./enums";
import { NETWORK_TARGET_DEFAULTS } from "./serviceDefaults";

/**
 * AWS's rules for a Network Load Balancer in front of a service, and this project's posture for it,
 * as pure checks over the `networkLoadBalancer` argument (the schema reports them with their key
 * paths; the preflight judges the resources that come out, core/preflight/elbv2.ts).
 */

const NLB_GUIDE = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network";
const TF = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/elbv2";

export const NLB_SOURCES = {
    listeners: `${NLB_GUIDE}/load-balancer-listeners.html`,
    tlsListener: `${NLB_GUIDE}/create-tls-listener.html`,
    accessLogs: `${NLB_GUIDE}/load-balancer-access-logs.html`,
    securityGroups: `${NLB_GUIDE}/load-balancer-security-groups.html`,
    healthChecks: `${NLB_GUIDE}/target-group-health-checks.html`,
    limits: `${NLB_GUIDE}/load-balancer-limits.html`,
    loopback: `${NLB_GUIDE}/load-balancer-troubleshooting.html#loopback-timeout`,
    createListener: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html",
    createTargetGroup: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    terraformTargetGroup: `${TF}/target_group.go`,
    terraformLoadBalancer: `${TF}/load_balancer.go`,
    ec2Controls: "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html",
} as const;

/** Quota "Listeners per Network Load Balancer" (NLB_SOURCES.limits). */
export const MAX_NETWORK_LISTENERS = 50;

export interface NetworkLoadBalancerProblem {
    /** The key path below the `networkLoadBalancer` argument. */
    path: PropertyKey[];
    message: string;
}

type Loose = Record<string, any>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);

/** The listeners of an argument that are objects, each with its index. */
function listenersOf(nlb: Loose): { listener: Loose; index: number }[] {
    return (Array.isArray(nlb.listeners) ? nlb.listeners : []).flatMap((listener: unknown, index: number) => (isObject(listener) ? [{ listener, index }] : []));
}

/** Whether a listener terminates TLS (TCP when its protocol is left out). */
export const isTlsListener = (listener: Loose): boolean => (listener.protocol ?? NETWORK_TARGET_DEFAULTS.listenerProtocol) === NetworkProtocol.Tls;

/**
 * What AWS would refuse, or what would open more than asked, in a `networkLoadBalancer` argument:
 * fields that relate to each other. Field ranges are the schema's. `allowedCidrsDefault` is what
 * an absent `allowedCidrs` means (the whole internet, over IPv6 too on a dual-stack one).
 */
export function networkLoadBalancerProblems(nlb: unknown, allowedCidrsDefault: readonly string[]): NetworkLoadBalancerProblem[] {
    if (!isObject(nlb)) return [];
    const problems: NetworkLoadBalancerProblem[] = [];
    const at = (path: PropertyKey[], message: string) => problems.push({ path, message });
    const listeners = listenersOf(nlb);
    const tls = listeners.filter(({ listener }) => isTlsListener(listener));

    const seen = new Map<number, number>();
    for (const { listener, index } of listeners) {
        if (typeof listener.port !== "number") continue;
        const first = seen.get(listener.port);
        if (first !== undefined) at(["listeners", index, "port"], `${listener.port} is also listeners[${first}]'s port: a load balancer has one listener per port (${NLB_SOURCES.createListener})`);
        else seen.set(listener.port, index);
    }
    if (nlb.certificateArn === undefined) {
        for (const { index } of tls) at(["listeners", index, "protocol"], `"TLS" needs certificateArn: the listener terminates TLS with an ACM certificate (${NLB_SOURCES.tlsListener})`);
    }
    if (tls.length === 0) {
        for (const key of ["certificateArn", "sslPolicy", "alpnPolicy"]) {
            if (nlb[key] !== undefined) at([key], `has no effect: no listener is "TLS" (it applies to TLS listeners only: ${NLB_SOURCES.tlsListener})`);
        }
        if (isObject(nlb.accessLogs) && nlb.accessLogs.enabled !== false) {
            at(["accessLogs"], `has no effect: a Network Load Balancer writes access logs for TLS listeners only (${NLB_SOURCES.accessLogs}); add a TLS listener or remove accessLogs`);
        }
    }

    const check = isObject(nlb.healthCheck) ? nlb.healthCheck : {};
    if ((check.protocol ?? NETWORK_TARGET_DEFAULTS.healthCheck.protocol) === NetworkHealthCheckProtocol.Tcp) {
        for (const key of ["path", "matcher"]) {
            if (check[key] !== undefined) at(["healthCheck", key], `applies to HTTP health checks only: AWS refuses a ${key} with a TCP check (${NLB_SOURCES.terraformTargetGroup}); set healthCheck.protocol "HTTP" or remove it`);
        }
    }
    const interval = check.interval ?? NETWORK_TARGET_DEFAULTS.healthCheck.interval;
    if (typeof check.timeout === "number" && typeof interval === "number" && check.timeout >= interval) {
        at(["healthCheck", "timeout"], `${check.timeout} must be shorter than the interval (${interval})`);
    }

    // Security Hub EC2.19: a high-risk port open to the internet. An Application Load Balancer only
    // ever opens 80 and 443; here the ports are the user's, so the whole internet must be asked for
    // by naming the networks, never reached by leaving allowedCidrs out.
    const cidrs: unknown[] = Array.isArray(nlb.allowedCidrs) ? nlb.allowedCidrs : [...allowedCidrsDefault];
    const world = cidrs.filter((c): c is string => typeof c === "string" && isWholeInternet(c));
    // An internal load balancer's group is judged the same: EC2.19 reads the rule, not the scheme.
    if (world.length > 0) {
        for (const { listener, index } of listeners) {
            if (typeof listener.port === "number" && HIGH_RISK_PORTS.includes(listener.port)) {
                at(
                    ["listeners", index, "port"],
                    `${listener.port} is a high-risk port (Security Hub EC2.19: ${NLB_SOURCES.ec2Controls}) and would be open to ${world.join(" and ")}${Array.isArray(nlb.allowedCidrs) ? "" : " (allowedCidrs left out)"}: list the networks that may connect in allowedCidrs (for an internal load balancer, the VPC's CIDR block)`,
                );
            }
        }
    }
    return problems;
}
