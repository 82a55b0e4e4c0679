/**
 * The entry point of the component package: every ComponentResource class exported here is served
 * to Python, Go, .NET, Java and YAML. They are all the components the package exports, so another
 * language gets what TypeScript gets; tests/package/componentSchema.spec.ts fails when one is
 * missing. Each has one constructor whose `args` is an interface of plain data, `Input`s, string
 * enums and AWS resources, which is what Pulumi's schema inference accepts.
 */
export { FargateService, FargateCluster, ServiceLoadBalancer, ServiceRepository, QueueWorker, ScheduledTask, EventTask, ServiceAlarms, EnvironmentAlerts } from "../components";
