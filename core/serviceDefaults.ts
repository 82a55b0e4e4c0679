import { ALB_MIN_HEALTH_CHECK_INTERVAL, DRAIN_FLOOR_SECONDS } from "./deploySpeed";

/**
 * What a load-balanced service's arguments mean when left out, written once: the component applies
 * them (components/serviceTarget.ts, components/fargateService.ts), the schema judges against them
 * (core/serviceSchema.ts), the prod preset starts from them (stacks/presets.ts), and a test holds
 * every `@default` of the argument docs to them (tests/defaults.test.ts).
 */

/**
 * The target group's health check and drain. A check every 5 s (ALB's minimum, not AWS's 30 s × 5)
 * lets a new task take traffic about 5 s after it is ready, and takes a failing one out after 15 s;
 * 10 s of drain (DRAIN_FLOOR_SECONDS, not 300 s) lets requests in flight finish, fits inside the
 * two-minute Fargate Spot notice, and the app's stopTimeout covers the rest.
 */
export const TARGET_DEFAULTS = {
    deregistrationDelay: DRAIN_FLOOR_SECONDS,
    healthCheck: { path: "/", matcher: "200-399", interval: ALB_MIN_HEALTH_CHECK_INTERVAL, timeout: 4, healthyThreshold: 2, unhealthyThreshold: 3 },
} as const;

/** What `DeploymentArgs` leaves out means: every long-running service rolls out alike. */
export const DEPLOYMENT_DEFAULTS = { minHealthyPercent: 100, maxPercent: 200, healthCheckGracePeriod: 60, waitForSteadyState: true } as const;

/**
 * A Network Load Balancer's target group, when its arguments leave these out. A TCP connection
 * every 10 s, two in a row to turn healthy or unhealthy (AWS's own default is 30 s and 5 to turn
 * healthy); 30 s of drain (connections, not single requests, end there), inside the Spot notice. Client
 * IP preservation off, which is AWS's default for `ip` targets over TCP and TLS
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation);
 * cross-zone load balancing on, which is off by default on a Network Load Balancer, so that a
 * zone whose nodes hold fewer tasks is not overloaded (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#target-group-cross-zone).
 */
export const NETWORK_TARGET_DEFAULTS = {
    deregistrationDelay: 30,
    preserveClientIp: false,
    crossZone: true,
    listenerProtocol: "TCP",
    healthCheck: { protocol: "TCP", interval: 10, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 2 },
    /** What an HTTP health check asks for when `path` and `matcher` are left out. */
    httpHealthCheck: { path: "/", matcher: "200-399" },
} as const;
/** The main container's port when a load-balanced service gives none. */
export const DEFAULT_CONTAINER_PORT = 8080;

/** The main container's port: the one given, or the default when a load balancer (application or network) needs one. */
export function mainContainerPort(args: { container?: { port?: unknown }; loadBalancer?: { enabled?: unknown }; networkLoadBalancer?: unknown }): number | undefined {
    const given = args.container?.port;
    if (typeof given === "number") return given;
    return args.loadBalancer?.enabled === false && args.networkLoadBalancer === undefined ? undefined : DEFAULT_CONTAINER_PORT;
}
