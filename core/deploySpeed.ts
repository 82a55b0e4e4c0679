/**
 * What decides how fast a service's new version takes over, and the AWS facts that bound each
 * lever. Pure: the presets, the deploy model and the README read the same figures.
 *
 * Sources, read 2026-11-23:
 * - A registered target is healthy after one passing check; interval 5–300 s, healthy threshold 2–10:
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 * - ALB metrics reach CloudWatch in 60-second intervals, so no alarm on them resolves less than a minute:
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 * - After a rolling update with deployment alarms, ECS keeps the deployment IN_PROGRESS for a bake
 *   time it computes from the alarms' configuration, which cannot be set:
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html
 *   ECS's own engineers describe it as the alarms' evaluation time, the longest of them when they
 *   differ (https://github.com/aws/copilot-cli/pull/4294); the model takes period × evaluation periods.
 * - zstd layers: AWS measured task start up to 27% shorter on Fargate, most for large images
 *   (https://aws.amazon.com/blogs/containers/reducing-aws-fargate-startup-times-with-zstd-compressed-container-images/);
 *   image pull dominates Fargate task start, and lazy loading (SOCI) is for images over 250 MB
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-pull-behavior.html).
 */

export const SPEED_SOURCES = {
    healthChecks: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html",
    albMetrics: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html",
    alarmBake: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html",
    alarmBakeFormula: "https://github.com/aws/copilot-cli/pull/4294",
    zstd: "https://aws.amazon.com/blogs/containers/reducing-aws-fargate-startup-times-with-zstd-compressed-container-images/",
    pullBehavior: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-pull-behavior.html",
} as const;

/** An Application Load Balancer checks a target every 5 s at the most often. */
export const ALB_MIN_HEALTH_CHECK_INTERVAL = 5;

/** ALB metrics come in 60-second datapoints: a deployment alarm on them watches whole minutes. */
export const ALB_METRIC_PERIOD = 60;

/**
 * The shortest deregistration delay a preset uses where traffic matters (prod): a request in flight
 * when its task is deregistered has this long to finish before ECS sends SIGTERM, and the app
 * finishes what is left within its stopTimeout. An API whose requests can run longer (uploads,
 * streaming, long polling) must set `deregistrationDelay` to its longest request. Below it the model
 * offers no drain lever.
 */
export const DRAIN_FLOOR_SECONDS = 10;

/** AWS's measured upper bound of the task-start reduction from zstd layers (large images gain most). */
export const ZSTD_TASK_START_REDUCTION_UP_TO = 0.27;

/** How long ECS bakes a rolling update after it, from the alarms it watches: the longest period × evaluation periods. */
export function alarmBakeSeconds(alarms: { period: number; evaluationPeriods: number }[]): number {
    return Math.max(0, ...alarms.map((a) => a.period * a.evaluationPeriods));
}
