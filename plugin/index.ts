/**
 * The entry point of the component package: every ComponentResource class exported here is served
 * to Python, Go, .NET, Java and YAML. They are all the components @fargate-service/components
 * exports, so another language gets what TypeScript gets; tests/package/componentSchema.spec.ts
 * fails when one is missing. At run time they come from the installed package; Pulumi's schema
 * inference reads their types from the sources (tsconfig.json says why).
 */
export { FargateService, FargateCluster, ServiceLoadBalancer, ServiceRepository, ReleaseRepository, QueueWorker, ScheduledTask, EventTask, ServiceAlarms, EnvironmentAlerts, SharedFileSystem } from "@fargate-service/components";
