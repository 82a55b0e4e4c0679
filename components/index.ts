/**
 * @fargate-service/components: a containerised service on AWS ECS Fargate, secure and cheap by default.
 *
 * `FargateService` is the whole thing; `FargateCluster`, `ServiceLoadBalancer` and
 * `ServiceRepository` are its parts, usable alone (one cluster or load balancer shared by many
 * services). `ReleaseRepository` is a workload's release repository, which other accounts may
 * pull from. Beside it, on the same cluster: `QueueWorker` (an SQS consumer scaled on its queue),
 * `ScheduledTask` and `EventTask` (tasks run by EventBridge), and `ServiceAlarms`,
 * `EnvironmentAlerts` and `createEnvironmentDashboard` to watch them; `SharedFileSystem`, an EFS
 * file system services mount as `volumes`.
 *
 * @module @fargate-service/components
 */
export { FargateService, SERVICE_DEFAULTS } from "./fargateService";
export type { FargateServiceArgs, ServiceLoadBalancingArgs, ListenerRuleArgs, TargetHealthCheckArgs } from "./fargateServiceArgs";
export type { NetworkLoadBalancerArgs, NetworkLoadBalancerTargetArgs, NetworkListenerArgs, NetworkHealthCheckArgs, NetworkAccessLogsArgs } from "./networkLoadBalancer";
export type { ClusterAttachmentArgs, DeploymentArgs, NetworkPlacementArgs, ServicePlacementArgs, TaskPlacementArgs, RetryArgs } from "./workloadArgs";
export { FargateCluster } from "./cluster";
export type { FargateClusterArgs, ClusterServiceConnectArgs, ClusterServiceConnectTlsArgs } from "./cluster";
export type { ServiceConnectArgs, ServiceConnectEndpoint, ServiceConnectTlsArgs } from "./serviceConnect";
export { AppProtocol } from "../core/serviceConnect";
export type { CapacityArgs } from "./capacityArgs";
export { ServiceLoadBalancer } from "./loadBalancer";
export type { ServiceLoadBalancerArgs, ServiceLoadBalancerComponentArgs, AccessLogsArgs } from "./loadBalancer";
export { SharedFileSystem } from "./fileSystem";
export type { SharedFileSystemArgs } from "./fileSystem";
export type { EfsVolumeArgs, AccessPointArgs } from "./efsVolumes";
export { ServiceRepository } from "./repository";
export type { RepositoryArgs, ServiceRepositoryArgs } from "./repository";
export { ReleaseRepository } from "./releaseRepository";
export type { ReleaseRepositoryArgs } from "./releaseRepository";
export type { FargateTaskArgs } from "./task";
export type { ContainerArgs, ContainerHealthCheckArgs, SidecarArgs } from "./containerArgs";
export type { ImageArgs, ImageBuildArgs } from "./image";
export type { DomainArgs, DomainCertificate } from "./domain";
export type { AccessLogsBucket } from "./accessLogsBucket";
export type { ScalingArgs, ScheduledScalingArgs } from "./autoscaling";
export type { TaskRoleArgs, PolicyStatementArgs, PolicyConditionArgs } from "./taskRoles";
export { PolicyEffect } from "./taskRoles";
export type { LogArgs } from "./logGroup";
export { QueueWorker } from "./queueWorker";
export type { QueueWorkerArgs, QueueArgs } from "./queueWorker";
export type { QueueScalingArgs } from "./queueScaling";
export { ScheduledTask } from "./scheduledTask";
export type { ScheduledTaskArgs } from "./scheduledTask";
export { EventTask } from "./eventTask";
export type { EventTaskArgs } from "./eventTask";
export { ServiceAlarms } from "./serviceAlarms";
export type { ServiceAlarmsArgs, AlarmThresholdsArgs, AlarmLoadBalancerArgs } from "./serviceAlarms";
export { EnvironmentAlerts } from "./environmentAlerts";
export type { EnvironmentAlertsArgs } from "./environmentAlerts";
export { createEnvironmentDashboard } from "./environmentDashboard";
export type { DashboardSource } from "./environmentDashboard";
export { childTransforms } from "./childTransforms";
export type { ChildTransforms } from "./childTransforms";
export { registerPreflight, preflightTransform } from "./preflight";
export { PreflightError } from "../core/preflight/error";
export type { PreflightFinding } from "../core/preflight/types";
export { AlpnPolicy, Architecture, ContainerInsights, EfsThroughputMode, ImageCompression, IpStack, NetworkHealthCheckProtocol, NetworkIpAddressType, NetworkProtocol, OutboundTraffic, QueueScalingPolicy } from "../core/enums";
export { ValidationError } from "../core/validationError";
export type { Problem } from "../core/validationError";
