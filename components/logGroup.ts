import * as pulumi from "@pulumi/pulumi";
import { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
import { logGroupPrefix } from "../core/names";

/** A CloudWatch log group for containers. */
export interface LogArgs {
    /**
     * Days to keep log events: one of CloudWatch's periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150,
     * 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), or 0 to never expire.
     * Storage costs $0.03 per GB-month; Security Hub CloudWatch.16 wants a year or more.
     * @default 30
     * @example
     * ```ts
     * { retentionDays: 365 }
     * ```
     */
    retentionDays?: number;
    /**
     * A customer-managed KMS key to encrypt log events with. The key policy must allow the
     * CloudWatch Logs service principal of the region.
     * @default encrypted with a key CloudWatch manages
     * @example
     * ```ts
     * { kmsKeyArn: key.arn }
     * ```
     */
    kmsKeyArn?: pulumi.Input<string>;
}

export const DEFAULT_LOG_RETENTION_DAYS = 30;

export interface ContainerLogGroupArgs extends LogArgs {
    project: string;
    stack: string;
    tags?: Record<string, string>;
    protect?: boolean;
}

/**
 * The log group, created before the service (so ECS never creates one without retention) and
 * named with the project and stack, so environments never share or collide.
 */
export function containerLogGroup(name: string, args: ContainerLogGroupArgs, parent: pulumi.Resource): LogGroup {
    return new LogGroup(
        name,
        {
            namePrefix: logGroupPrefix(args.project, args.stack, name),
            retentionInDays: args.retentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
            kmsKeyId: args.kmsKeyArn,
            tags: args.tags,
        },
        { parent, protect: args.protect, retainOnDelete: args.protect },
    );
}
