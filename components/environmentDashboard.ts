import * as pulumi from "@pulumi/pulumi";
import { Dashboard } from "@pulumi/aws/cloudwatch/dashboard";
import { dashboardSourceSchema } from "../core/componentSchemas";
import { DashboardInputs, dashboardBody } from "../core/dashboardBody";
import { awsName } from "../core/names";
import { EveryArgumentChecked, parseOrThrow } from "../core/validation";

export interface DashboardSource {
    region: string;
    clusterName: pulumi.Input<string>;
    containerInsights: boolean;
    services: { label: string; serviceName: pulumi.Input<string>; loadBalancer?: { arnSuffix: pulumi.Input<string>; targetGroupArnSuffix: pulumi.Input<string> } }[];
    queues: { label: string; queueName: pulumi.Input<string> }[];
}

/** An environment's CloudWatch dashboard. Dashboards have no auto-naming: the name carries project and stack. */
export function createEnvironmentDashboard(name: string, source: DashboardSource, parent?: pulumi.Resource): Dashboard {
    parseOrThrow(dashboardSourceSchema, source, `createEnvironmentDashboard "${name}"`, "source");
    const resolved = pulumi.output(source) as pulumi.Output<DashboardInputs>;
    return new Dashboard(
        name,
        { dashboardName: awsName("dashboard", name), dashboardBody: resolved.apply((inputs) => JSON.stringify(dashboardBody(inputs))) },
        parent ? { parent } : undefined,
    );
}

/** Every argument has its rule in the schema: adding one without it does not compile. */
const dashboardSourceChecked: EveryArgumentChecked<DashboardSource, typeof dashboardSourceSchema.shape> = true;
