/**
 * What AWS does with a setting left out: the plan reads resources that may come from any program,
 * and judges a missing value by AWS's own default, written once here.
 */
export const AWS_DEFAULTS = {
    targetGroup: {
        /** https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay */
        deregistrationDelay: 300,
        /** For instance and IP targets: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html */
        healthCheckInterval: 30,
    },
    container: {
        /** https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html (stopTimeout) */
        stopTimeout: 30,
        /** https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html (interval; startPeriod is off when unset) */
        healthCheckInterval: 30,
        healthCheckStartPeriod: 0,
    },
} as const;
