import * as pulumi from "@pulumi/pulumi";
import { SecurityGroup } from "@pulumi/aws/ec2/securityGroup";
import { Listener } from "@pulumi/aws/lb/listener";
import { LoadBalancer } from "@pulumi/aws/lb/loadBalancer";
import { TargetGroup } from "@pulumi/aws/lb/targetGroup";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc/securityGroupIngressRule";
import { ec2Description } from "../core/aws/ec2Rules";
import { AlpnPolicy, NetworkHealthCheckProtocol, NetworkIpAddressType, NetworkProtocol } from "../core/enums";
import { isTlsListener } from "../core/networkLoadBalancer";
import { awsName } from "../core/names";
import { NETWORK_TARGET_DEFAULTS } from "../core/serviceDefaults";
import { DEFAULT_SSL_POLICY } from "../core/tlsPolicies";

/** A listener of a Network Load Balancer. */
export interface NetworkListenerArgs {
    /**
     * The port clients connect to (1 to 65535), one listener per port. Connections go to the
     * container port whatever this port is.
     * @example
     * ```ts
     * { port: 5671 }
     * ```
     */
    port: number;
    /**
     * `"TCP"` passes bytes through (the service speaks its own protocol, and its own TLS if any);
     * `"TLS"` terminates TLS with `certificateArn` and passes TCP to the tasks.
     * @default "TCP"
     * @example
     * ```ts
     * { port: 443, protocol: "TLS" }
     * ```
     */
    protocol?: NetworkProtocol;
}

/** The health check of a Network Load Balancer's target group. */
export interface NetworkHealthCheckArgs {
    /**
     * `"TCP"`: healthy when the task accepts a connection on its port. `"HTTP"`: healthy when it
     * answers `path` with a `matcher` code (for a service that also serves HTTP on that port).
     * @default "TCP"
     * @example
     * ```ts
     * { protocol: "HTTP", path: "/health" }
     * ```
     */
    protocol?: NetworkHealthCheckProtocol;
    /**
     * The path an HTTP check requests. AWS refuses a path on a TCP check.
     * @default "/" (HTTP checks only)
     * @example
     * ```ts
     * { path: "/health" }
     * ```
     */
    path?: string;
    /**
     * HTTP codes that mean healthy. AWS refuses a matcher on a TCP check.
     * @default "200-399" (HTTP checks only)
     * @example
     * ```ts
     * { matcher: "200" }
     * ```
     */
    matcher?: string;
    /**
     * Seconds between checks (5 to 300).
     * @default 10
     * @example
     * ```ts
     * { interval: 5 }
     * ```
     */
    interval?: number;
    /**
     * Seconds to wait for the connection or the answer (2 to 120, less than `interval`).
     * @default 5
     * @example
     * ```ts
     * { timeout: 3 }
     * ```
     */
    timeout?: number;
    /**
     * Passing checks in a row that make a target healthy (2 to 10). A new task takes connections
     * after this many: `healthyThreshold × interval` seconds at best.
     * @default 2
     * @example
     * ```ts
     * { healthyThreshold: 3 }
     * ```
     */
    healthyThreshold?: number;
    /**
     * Failing checks in a row that take a target out (2 to 10).
     * @default 2
     * @example
     * ```ts
     * { unhealthyThreshold: 3 }
     * ```
     */
    unhealthyThreshold?: number;
}

/** What a service in a stack file may say about its Network Load Balancer. */
export interface NetworkLoadBalancerTargetArgs {
    /**
     * The listeners: ports clients connect to, TCP or TLS. At most 50 (AWS's quota).
     * @example
     * ```ts
     * { listeners: [{ port: 5671, protocol: "TLS" }] }
     * ```
     */
    listeners: NetworkListenerArgs[];
    /**
     * Reachable only from inside the VPC (and networks connected to it).
     * @default false
     * @example
     * ```ts
     * { internal: true }
     * ```
     */
    internal?: boolean;
    /**
     * Networks allowed to reach the listener ports, as IPv4 or IPv6 CIDR blocks: the load
     * balancer's security group admits them, on the listener ports only. A high-risk port (Security
     * Hub EC2.19: 22, 3306, 5432, ...) is refused open to the whole internet, so give the networks
     * for those.
     * @default ["0.0.0.0/0"], and "::/0" too with `ipAddressType: "dualstack"`
     * @example
     * ```ts
     * { allowedCidrs: ["10.0.0.0/8"] }
     * ```
     */
    allowedCidrs?: string[];
    /**
     * The ACM certificate of the TLS listeners; required when one listener is `"TLS"`.
     * @default none
     * @example
     * ```ts
     * { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-..." }
     * ```
     */
    certificateArn?: pulumi.Input<string>;
    /**
     * The TLS policy of the TLS listeners (Security Hub ELB.17). Always sent: a listener created
     * through the API without one gets ELBSecurityPolicy-2016-08, which allows TLS 1.0.
     * @default "ELBSecurityPolicy-TLS13-1-2-2021-06"
     * @example
     * ```ts
     * { sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" }
     * ```
     */
    sslPolicy?: string;
    /**
     * The protocols a TLS listener offers in the handshake (ALPN). gRPC needs HTTP/2.
     * @default none (no ALPN)
     * @example
     * ```ts
     * { alpnPolicy: "HTTP2Preferred" }
     * ```
     */
    alpnPolicy?: AlpnPolicy;
    /**
     * How the load balancer checks each task.
     * @default a TCP connection every 10 s, 2 in a row to turn healthy or unhealthy, 5 s timeout
     * @example
     * ```ts
     * { healthCheck: { protocol: "HTTP", path: "/health" } }
     * ```
     */
    healthCheck?: NetworkHealthCheckArgs;
    /**
     * Seconds a stopping task keeps its open connections before the load balancer drops it (0 to
     * 3600; under 120 with Fargate Spot). Long-lived connections (a broker's, a game's) are cut
     * after this.
     * @default 30
     * @example
     * ```ts
     * { deregistrationDelay: 60 }
     * ```
     */
    deregistrationDelay?: number;
    /**
     * Tasks see the client's own address as the source instead of the load balancer's. The tasks'
     * security group admits the load balancer's group either way (AWS matches the group reference
     * with preservation on). With it on, a task cannot reach itself through the load balancer (NAT
     * loopback is not supported) and connections from the same client to two listeners may collide.
     * @default false (AWS's default for ip targets over TCP and TLS)
     * @example
     * ```ts
     * { preserveClientIp: true }
     * ```
     */
    preserveClientIp?: boolean;
    /**
     * Each load balancer node sends to tasks in every zone, not only its own: tasks are used
     * evenly when zones hold different numbers of them. Traffic that crosses zones is billed as
     * regional data transfer.
     * @default true
     * @example
     * ```ts
     * { crossZone: false }
     * ```
     */
    crossZone?: boolean;
    /**
     * The load balancer's IP addresses: `"dualstack"` adds IPv6 (subnets need IPv6 CIDR blocks).
     * Tasks in IPv6-only subnets need `"dualstack"`.
     * @default "ipv4", or "dualstack" for tasks with `ipStack: "ipv6"`
     * @example
     * ```ts
     * { ipAddressType: "dualstack" }
     * ```
     */
    ipAddressType?: NetworkIpAddressType;
}

/** Access logs of a Network Load Balancer (TLS listeners only). */
export interface NetworkAccessLogsArgs {
    /**
     * Write access logs.
     * @default true
     * @example
     * ```ts
     * { enabled: true }
     * ```
     */
    enabled?: boolean;
    /**
     * An existing bucket whose policy lets `delivery.logs.amazonaws.com` write to it
     * (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html).
     * @example
     * ```ts
     * { bucket: "my-org-nlb-logs" }
     * ```
     */
    bucket: pulumi.Input<string>;
    /**
     * The key prefix of the log files.
     * @default ""
     * @example
     * ```ts
     * { prefix: "prod/broker" }
     * ```
     */
    prefix?: string;
}

/** A new Network Load Balancer in front of a service. */
export interface NetworkLoadBalancerArgs extends NetworkLoadBalancerTargetArgs {
    /**
     * Subnets in at least two Availability Zones (Security Hub ELB.13): public ones for an
     * internet-facing load balancer. A change that removes a subnet replaces the load balancer.
     * @example
     * ```ts
     * { subnetIds: vpc.publicSubnetIds }
     * ```
     */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Access logs to S3, written for TLS listeners only.
     * @default off
     * @example
     * ```ts
     * { accessLogs: { bucket: "my-org-nlb-logs", prefix: "prod/broker" } }
     * ```
     */
    accessLogs?: NetworkAccessLogsArgs;
    /**
     * Refuse deletion of the load balancer until this is turned off (Security Hub ELB.6).
     * @default false
     * @example
     * ```ts
     * { deletionProtection: true }
     * ```
     */
    deletionProtection?: boolean;
}

export interface ServiceNetworkLoadBalancer {
    /** The load balancer's group: in from `allowedCidrs` on the listener ports, out to the tasks only. */
    securityGroup: SecurityGroup;
    ingressRules: SecurityGroupIngressRule[];
    loadBalancer: LoadBalancer;
    targetGroup: TargetGroup;
    listeners: Listener[];
}

/**
 * The Network Load Balancer of one service: its security group, the load balancer, one `ip`
 * target group on the container port and a listener per port.
 *
 * The security group is given at creation and never removed: AWS cannot add security groups to
 * a Network Load Balancer created without any, nor remove them all, and the provider replaces the
 * load balancer (a new DNS name) when either would happen
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html,
 * terraform-provider-aws internal/service/elbv2/load_balancer.go customizeDiffLoadBalancerNLB).
 * The group list is fixed here, so no argument can empty it.
 */
export function createNetworkLoadBalancer(
    name: string,
    args: NetworkLoadBalancerArgs & { vpcId: pulumi.Input<string>; port: number; ipv6Targets: boolean },
    parent: pulumi.Resource,
    tags: Record<string, string> | undefined,
): ServiceNetworkLoadBalancer {
    const ipAddressType = args.ipAddressType ?? (args.ipv6Targets ? NetworkIpAddressType.Dualstack : NetworkIpAddressType.Ipv4);
    const securityGroup = new SecurityGroup(
        awsName("securityGroup", `${name}-nlb`),
        { vpcId: args.vpcId, description: "Network load balancer: listener ports in from the allowed networks, out to the tasks only", tags },
        { parent },
    );
    const cidrs = args.allowedCidrs ?? (ipAddressType === NetworkIpAddressType.Dualstack ? ["0.0.0.0/0", "::/0"] : ["0.0.0.0/0"]);
    const ingressRules = cidrs.flatMap((cidr, i) =>
        args.listeners.map(
            (listener) =>
                new SecurityGroupIngressRule(
                    `${name}-nlb-${listener.port}-${i}`,
                    {
                        securityGroupId: securityGroup.id,
                        description: ec2Description(`Port ${listener.port} from ${cidr}`),
                        ipProtocol: "tcp",
                        fromPort: listener.port,
                        toPort: listener.port,
                        ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
                        tags,
                    },
                    { parent },
                ),
        ),
    );
    const logs = args.accessLogs && args.accessLogs.enabled !== false ? args.accessLogs : undefined;
    const loadBalancer = new LoadBalancer(
        awsName("loadBalancer", `${name}-nlb`),
        {
            loadBalancerType: "network",
            internal: args.internal ?? false,
            ipAddressType,
            // Never empty, never added later: see the function's comment.
            securityGroups: [securityGroup.id],
            subnets: args.subnetIds,
            enableCrossZoneLoadBalancing: args.crossZone ?? NETWORK_TARGET_DEFAULTS.crossZone,
            enableDeletionProtection: args.deletionProtection ?? false,
            accessLogs: logs ? { enabled: true, bucket: logs.bucket, prefix: logs.prefix } : undefined,
            tags,
        },
        { parent },
    );
    const check = { ...NETWORK_TARGET_DEFAULTS.healthCheck, ...args.healthCheck };
    const http = check.protocol === NetworkHealthCheckProtocol.Http ? { path: check.path ?? NETWORK_TARGET_DEFAULTS.httpHealthCheck.path, matcher: check.matcher ?? NETWORK_TARGET_DEFAULTS.httpHealthCheck.matcher } : {};
    const targetGroup = new TargetGroup(
        awsName("targetGroup", `${name}-nlb`),
        {
            vpcId: args.vpcId,
            targetType: "ip",
            ...(args.ipv6Targets ? { ipAddressType: "ipv6" } : {}),
            // TLS listeners pass plain TCP on to the tasks.
            protocol: "TCP",
            port: args.port,
            deregistrationDelay: args.deregistrationDelay ?? NETWORK_TARGET_DEFAULTS.deregistrationDelay,
            // Always sent: the provider leaves the attribute to AWS otherwise, and a later default change would follow silently.
            preserveClientIp: String(args.preserveClientIp ?? NETWORK_TARGET_DEFAULTS.preserveClientIp),
            // The provider's health-check protocol defaults to HTTP: say TCP, or it sends an HTTP check to a TCP service.
            healthCheck: {
                enabled: true,
                protocol: check.protocol,
                port: "traffic-port",
                interval: check.interval,
                timeout: check.timeout,
                healthyThreshold: check.healthyThreshold,
                unhealthyThreshold: check.unhealthyThreshold,
                ...http,
            },
            tags,
        },
        { parent },
    );
    const listeners = args.listeners.map((listener) => {
        const tls = isTlsListener(listener);
        return new Listener(
            `${name}-nlb-${listener.port}`,
            {
                loadBalancerArn: loadBalancer.arn,
                port: listener.port,
                protocol: tls ? NetworkProtocol.Tls : NetworkProtocol.Tcp,
                ...(tls ? { certificateArn: args.certificateArn, sslPolicy: args.sslPolicy ?? DEFAULT_SSL_POLICY, ...(args.alpnPolicy ? { alpnPolicy: args.alpnPolicy } : {}) } : {}),
                defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
                tags,
            },
            { parent },
        );
    });
    return { securityGroup, ingressRules, loadBalancer, targetGroup, listeners };
}
