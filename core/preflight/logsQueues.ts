import { LOG_RETENTION_VALUES } from "../serviceSchema";
import { ResourceRule, RuleViolation, jsonValue, rangeViolation } from "./types";

/** CloudWatch Logs log groups and SQS queues. */

export const LOGS_RULES: ResourceRule[] = [
    {
        id: "cloudwatch.logGroup.retention",
        type: "aws:cloudwatch/logGroup:LogGroup",
        title: "a retention period AWS offers (0 for never)",
        sources: ["https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html", "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/logs/group.go"],
        check(r) {
            const days = r.inputs.retentionInDays;
            return days === undefined || (LOG_RETENTION_VALUES as readonly number[]).includes(days) ? [] : [{ key: "retentionInDays", message: `${days} is not a retention period CloudWatch Logs offers (${LOG_RETENTION_VALUES.join(", ")})` }];
        },
    },
];

const SQS = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference";

export const SQS_RULES: ResourceRule[] = [
    {
        id: "sqs.queue.attributes",
        type: "aws:sqs/queue:Queue",
        title: "retention 60–1209600 s, visibility timeout 0–43200 s, delay 0–900 s, receive wait 0–20 s, maxReceiveCount 1–1000; a name ending in .fifo exactly for a FIFO queue",
        sources: [`${SQS}/API_SetQueueAttributes.html`, `${SQS}/API_CreateQueue.html`, "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/sqs/queue.go"],
        check(r) {
            const out: RuleViolation[] = [
                ...rangeViolation(r.inputs, "messageRetentionSeconds", 60, 1209600, " s"),
                ...rangeViolation(r.inputs, "visibilityTimeoutSeconds", 0, 43200, " s"),
                ...rangeViolation(r.inputs, "delaySeconds", 0, 900, " s"),
                ...rangeViolation(r.inputs, "receiveWaitTimeSeconds", 0, 20, " s"),
            ];
            const redrive = jsonValue<{ maxReceiveCount?: number }>(r.inputs.redrivePolicy);
            // Stryker disable next-line ConditionalExpression: equivalent when always true, a range read from no policy is not given
            if (redrive) out.push(...rangeViolation(redrive, "maxReceiveCount", 1, 1000).map((v) => ({ ...v, key: "redrivePolicy.maxReceiveCount" })));
            const name = r.inputs.name;
            if (typeof name === "string" && name.endsWith(".fifo") !== (r.inputs.fifoQueue === true)) {
                out.push({ key: "name", message: r.inputs.fifoQueue ? "of a FIFO queue must end in .fifo" : "ends in .fifo, which is for FIFO queues only" });
            }
            return out;
        },
    },
];
