import * as pulumi from "@pulumi/pulumi";
import { MetricAlarm } from "@pulumi/aws/cloudwatch/metricAlarm";
import { DEPLOYMENT_ALARM } from "../core/deploymentStrategy";
import { awsName } from "../core/names";
import { TargetDimensions, error5xxQueries, unhealthyTargetsMetric } from "./serviceAlarms";

/**
 * The alarms a deployment watches on its own target groups: 5xx answers and unhealthy targets, the
 * same metrics as the service's paging alarms (serviceAlarms.ts) but over two one-minute periods,
 * so a bad version fails within a bake time of a few minutes. They notify no one: ECS reads their
 * state, and the paging alarms page.
 */
export function createDeploymentAlarms(
    name: string,
    targets: TargetDimensions[],
    error5xxPercent: number,
    parent: pulumi.Resource,
    tags: Record<string, string> | undefined,
): { errors: MetricAlarm; unhealthy: MetricAlarm } {
    const { period, evaluationPeriods } = DEPLOYMENT_ALARM;
    const common = { comparisonOperator: "GreaterThanThreshold", treatMissingData: "notBreaching", evaluationPeriods, tags };
    return {
        errors: new MetricAlarm(
            awsName("metricAlarm", `${name}-deploy-5xx`),
            {
                ...common,
                alarmDescription: `Deployment gate: more than ${error5xxPercent}% of requests answered 5xx for ${evaluationPeriods} minutes`,
                threshold: error5xxPercent,
                metricQueries: error5xxQueries(targets, period),
            },
            { parent },
        ),
        unhealthy: new MetricAlarm(
            awsName("metricAlarm", `${name}-deploy-unhealthy`),
            { ...common, alarmDescription: `Deployment gate: unhealthy targets for ${evaluationPeriods} minutes`, threshold: 0, ...unhealthyTargetsMetric(targets, period) },
            { parent },
        ),
    };
}
