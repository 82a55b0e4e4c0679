/**
 * The string enums of the arguments. Each is a constant object plus a type of its values, so
 * TypeScript users may write either `"ARM64"` or `Architecture.ARM64`, YAML and JSON users write
 * the string, and Pulumi's schema inference turns each into an enum for other languages.
 */

/** The CPU architecture of the task. Fargate Spot runs both (ARM64 on platform version 1.4.0 or later). */
export const Architecture = {
    /** Intel or AMD: runs any linux/amd64 image. */
    X86_64: "X86_64",
    /** AWS Graviton: about 20% cheaper per vCPU-hour and per GB-hour, on-demand and Spot; needs a linux/arm64 image. */
    ARM64: "ARM64",
} as const;
export type Architecture = (typeof Architecture)[keyof typeof Architecture];

/**
 * How the layers of an image built here are compressed when pushed. Fargate (platform 1.4.0 and
 * later) pulls both; zstd unpacks faster, and AWS measured task start up to 27% shorter with it,
 * most for large images (core/deploySpeed.ts).
 */
export const ImageCompression = {
    /** gzip: what every registry, scanner and runtime reads. */
    Gzip: "gzip",
    /** zstd (OCI media types): a faster task start; ECR's enhanced scanning reads it. */
    Zstd: "zstd",
} as const;
export type ImageCompression = (typeof ImageCompression)[keyof typeof ImageCompression];

/**
 * The IP addresses of an Application Load Balancer
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetIpAddressType.html).
 * Each public IPv4 address costs $0.005 an hour; the dual-stack types need subnets with IPv6 CIDR
 * blocks, and internal load balancers must use ipv4.
 */
export const IpAddressType = {
    /** IPv4 only: a public IPv4 address per Availability Zone when internet-facing. */
    Ipv4: "ipv4",
    /** IPv4 and IPv6: clients of either; the IPv4 addresses are still billed. */
    Dualstack: "dualstack",
    /** Public IPv6, private IPv4 and IPv6: no public IPv4 to pay for; clients come over IPv6 or through a CDN. Internet-facing only. */
    DualstackWithoutPublicIpv4: "dualstack-without-public-ipv4",
} as const;
export type IpAddressType = (typeof IpAddressType)[keyof typeof IpAddressType];

/** CloudWatch Container Insights for a cluster (Security Hub ECS.12 wants it on). */
export const ContainerInsights = {
    /** Task- and service-level metrics: the standard mode. */
    Enabled: "enabled",
    /** Adds container-level metrics and curated dashboards; billed per observation. */
    Enhanced: "enhanced",
    /** No Container Insights metrics: the cheapest, for disposable environments. */
    Disabled: "disabled",
} as const;
export type ContainerInsights = (typeof ContainerInsights)[keyof typeof ContainerInsights];

/** What the tasks may reach on the network. */
export const OutboundTraffic = {
    /** Any destination, any port: what most apps need (databases, third-party APIs). */
    All: "all",
    /** HTTPS (TCP 443) only: enough for AWS APIs and image pulls. */
    Https: "https",
} as const;
export type OutboundTraffic = (typeof OutboundTraffic)[keyof typeof OutboundTraffic];

/**
 * The IP addresses of the subnets the tasks run in (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html).
 */
export const IpStack = {
    /** IPv4 only: what most VPCs have. */
    Ipv4: "ipv4",
    /** IPv4 and IPv6: tasks get both (IPv6 only where the ECS account setting dualStackIPv6 is enabled); egress is allowed to both. */
    Dualstack: "dualstack",
    /**
     * IPv6 only: tasks have no IPv4 address, so no public IPv4 to pay for. Images are pulled from
     * ECR's dual-stack endpoint, the target group registers IPv6 addresses (the load balancer must
     * be dual-stack), and hosts reachable over IPv4 only need DNS64 and NAT64 (a NAT gateway).
     */
    Ipv6: "ipv6",
} as const;
export type IpStack = (typeof IpStack)[keyof typeof IpStack];

/** How an EFS file system's throughput is billed (https://docs.aws.amazon.com/efs/latest/ug/performance.html). */
export const EfsThroughputMode = {
    /** Per GB read and written, scaling on its own: no sizing, nothing paid while idle. */
    Elastic: "elastic",
    /** Included in the storage price, earning burst credits with the amount stored: cheap for a large, quiet file system, slow for a small busy one. */
    Bursting: "bursting",
} as const;
export type EfsThroughputMode = (typeof EfsThroughputMode)[keyof typeof EfsThroughputMode];

/** How a queue worker's task count follows its queue. */
export const QueueScalingPolicy = {
    /** Target tracking on visible messages per running task (AWS's recommended metric); needs Container Insights on the cluster for RunningTaskCount. */
    BacklogPerTask: "backlogPerTask",
    /** Step scaling on queue depth alone: all tasks up while messages wait, down to the minimum after the queue idles. No Container Insights needed. */
    QueueDepth: "queueDepth",
} as const;
export type QueueScalingPolicy = (typeof QueueScalingPolicy)[keyof typeof QueueScalingPolicy];

/**
 * How ECS replaces a service's tasks with a new version, all with ECS's own deployment controller
 * (no CodeDeploy): https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html
 */
export const DeploymentStrategy = {
    /** Replace tasks in batches (minHealthyPercent, maxPercent): no second set of tasks, no traffic shifting. */
    Rolling: "rolling",
    /** Start a full new set behind a second target group, shift all production traffic at once, keep the old set for the bake time. */
    BlueGreen: "blueGreen",
    /** Like blue/green, but shift production traffic in equal steps with a wait between them. */
    Linear: "linear",
    /** Like blue/green, but shift a small share first, wait, then the rest. */
    Canary: "canary",
} as const;
export type DeploymentStrategy = (typeof DeploymentStrategy)[keyof typeof DeploymentStrategy];

/**
 * The stages of a blue/green, linear or canary deployment at which ECS can call a lifecycle hook
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHook.html).
 * The values are AWS's own names.
 */
export const LifecycleStage = {
    /** ECS starts a deployment with more than one service revision in ACTIVE state. */
    ReconcileService: "RECONCILE_SERVICE",
    /** Before the new (green) tasks start. */
    PreScaleUp: "PRE_SCALE_UP",
    /** The green tasks are running, before any traffic reaches them. */
    PostScaleUp: "POST_SCALE_UP",
    /** Test traffic is being shifted to the green tasks. */
    TestTrafficShift: "TEST_TRAFFIC_SHIFT",
    /** All test traffic reaches the green tasks: the place for smoke tests. */
    PostTestTrafficShift: "POST_TEST_TRAFFIC_SHIFT",
    /** Production traffic is being shifted to the green tasks. */
    ProductionTrafficShift: "PRODUCTION_TRAFFIC_SHIFT",
    /** All production traffic reaches the green tasks. */
    PostProductionTrafficShift: "POST_PRODUCTION_TRAFFIC_SHIFT",
} as const;
export type LifecycleStage = (typeof LifecycleStage)[keyof typeof LifecycleStage];

/**
 * The makers of the accelerators an ECS Managed Instances capacity provider may choose
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_InstanceRequirementsRequest.html;
 * the same list in the Terraform AWS provider's `accelerator_manufacturers`). AWS's own names.
 */
export const AcceleratorManufacturer = {
    /** NVIDIA GPUs (g4dn, g5, g6, p3, p4, p5...): what the container's GPU reservation uses. */
    Nvidia: "nvidia",
    /** AMD GPUs (g4ad). */
    Amd: "amd",
    /** AWS's own accelerators (Inferentia, Trainium). */
    AmazonWebServices: "amazon-web-services",
    /** Xilinx FPGAs (f1). */
    Xilinx: "xilinx",
    /** Habana Gaudi accelerators (dl1). */
    Habana: "habana",
} as const;
export type AcceleratorManufacturer = (typeof AcceleratorManufacturer)[keyof typeof AcceleratorManufacturer];

/**
 * The accelerator models an ECS Managed Instances capacity provider may require, as @pulumi/aws
 * 7.48 and the Terraform AWS provider list them (`accelerator_names`;
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_InstanceRequirementsRequest.html).
 * A model missing here (the L4 of g6, for one) is still reachable by instance type.
 */
export const AcceleratorName = {
    /** NVIDIA A100 (p4d, p4de). */
    A100: "a100",
    /** NVIDIA A10G (g5). */
    A10G: "a10g",
    /** NVIDIA H100 (p5). */
    H100: "h100",
    /** AWS Inferentia (inf1). */
    Inferentia: "inferentia",
    /** NVIDIA GRID K520 (g2, previous generation). */
    K520: "k520",
    /** NVIDIA K80 (p2, previous generation). */
    K80: "k80",
    /** NVIDIA Tesla M60 (g3). */
    M60: "m60",
    /** AMD Radeon Pro V520 (g4ad). */
    RadeonProV520: "radeon-pro-v520",
    /** NVIDIA T4 (g4dn). */
    T4: "t4",
    /** NVIDIA T4G (g5g, Graviton). */
    T4G: "t4g",
    /** NVIDIA V100 (p3). */
    V100: "v100",
    /** Xilinx VU9P FPGA (f1). */
    VU9P: "vu9p",
} as const;
export type AcceleratorName = (typeof AcceleratorName)[keyof typeof AcceleratorName];

/** Burstable (T-family) instance types for ECS Managed Instances: AWS's `burstablePerformance` values. */
export const Burstable = {
    /** Burstable types may be chosen with the others. */
    Included: "included",
    /** Never a burstable type (AWS's default). */
    Excluded: "excluded",
    /** Only burstable types. */
    Required: "required",
} as const;
export type Burstable = (typeof Burstable)[keyof typeof Burstable];

/**
 * The protocol of a Network Load Balancer listener
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html).
 */
export const NetworkProtocol = {
    /** Bytes passed through as they come: the service speaks its own protocol (and its own TLS, if any). */
    Tcp: "TCP",
    /** The load balancer terminates TLS with an ACM certificate and passes plain TCP to the tasks. */
    Tls: "TLS",
} as const;
export type NetworkProtocol = (typeof NetworkProtocol)[keyof typeof NetworkProtocol];

/** How a Network Load Balancer checks its targets: a TCP connection, or an HTTP request to a path. */
export const NetworkHealthCheckProtocol = {
    /** The check passes when the task accepts a TCP connection on its port. */
    Tcp: "TCP",
    /** The check passes when the task answers an HTTP GET of `path` with a `matcher` code. */
    Http: "HTTP",
} as const;
export type NetworkHealthCheckProtocol = (typeof NetworkHealthCheckProtocol)[keyof typeof NetworkHealthCheckProtocol];

/**
 * The application protocols a TLS listener offers clients during the handshake (ALPN)
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/create-tls-listener.html#alpn-policies).
 * gRPC needs HTTP/2: `HTTP2Only` or `HTTP2Preferred`.
 */
export const AlpnPolicy = {
    /** Offer HTTP/1.* only. */
    Http1Only: "HTTP1Only",
    /** Offer HTTP/2 only: gRPC. */
    Http2Only: "HTTP2Only",
    /** Prefer HTTP/1.1, accept HTTP/2. */
    Http2Optional: "HTTP2Optional",
    /** Prefer HTTP/2, accept HTTP/1.1. */
    Http2Preferred: "HTTP2Preferred",
    /** No ALPN negotiation (AWS's default). */
    None: "None",
} as const;
export type AlpnPolicy = (typeof AlpnPolicy)[keyof typeof AlpnPolicy];

/** The IP addresses of a Network Load Balancer: dualstack-without-public-ipv4 is for Application Load Balancers only. */
export const NetworkIpAddressType = {
    /** IPv4 only. */
    Ipv4: "ipv4",
    /** IPv4 and IPv6 clients; needed for tasks in IPv6-only subnets. */
    Dualstack: "dualstack",
} as const;
export type NetworkIpAddressType = (typeof NetworkIpAddressType)[keyof typeof NetworkIpAddressType];

export function enumValues<T extends Record<string, string>>(e: T): [T[keyof T], ...T[keyof T][]] {
    return Object.values(e) as [T[keyof T], ...T[keyof T][]];
}
