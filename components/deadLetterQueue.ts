import { Queue } from "@pulumi/aws/sqs/queue";
import type * as pulumi from "@pulumi/pulumi";
import { awsName } from "../core/names";

/** Days a dead letter is kept: SQS's longest, so a failure can still be looked into after a holiday. */
export const DEAD_LETTER_RETENTION_DAYS = 14;

/**
 * An encrypted queue for what could not be delivered or processed, kept as long as SQS allows.
 * Protected, its undelivered messages survive a destroy or a rename (`protect`, `retainOnDelete`).
 */
export function createDeadLetterQueue(name: string, parent: pulumi.Resource, tags: Record<string, string> | undefined, protect = false): Queue {
    return new Queue(awsName("sqsQueue", `${name}-dlq`), { messageRetentionSeconds: DEAD_LETTER_RETENTION_DAYS * 86400, sqsManagedSseEnabled: true, tags }, { parent, protect, retainOnDelete: protect });
}
