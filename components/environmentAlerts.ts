import * as pulumi from "@pulumi/pulumi";
import { environmentAlertsArgsSchema } from "../core/componentSchemas";
import { EveryArgumentChecked, parseOrThrow } from "../core/validation";
import { EventRule } from "@pulumi/aws/cloudwatch/eventRule";
import { EventTarget } from "@pulumi/aws/cloudwatch/eventTarget";
import { Topic } from "@pulumi/aws/sns/topic";
import { TopicPolicy } from "@pulumi/aws/sns/topicPolicy";
import { TopicSubscription } from "@pulumi/aws/sns/topicSubscription";
import { accountContext } from "./accountContext";
import { componentType, withFormerTypeAlias } from "./componentType";
import { withPreflight } from "./preflight";
import { awsName } from "../core/names";
import type { PolicyDocument } from "@pulumi/aws/iam/documents";

export interface EnvironmentAlertsArgs {
    /**
     * The cluster whose failed tasks are reported.
     * @example
     * ```ts
     * { clusterArn: cluster.arn }
     * ```
     */
    clusterArn: pulumi.Input<string>;
    /**
     * E-mail addresses subscribed to the topic (each confirms by e-mail once).
     * @default []
     * @example
     * ```ts
     * { email: ["oncall@example.com"] }
     * ```
     */
    email?: string[];
    /**
     * Tags for the topic and the rule.
     * @default {}
     * @example
     * ```ts
     * { tags: { environment: "prod" } }
     * ```
     */
    tags?: Record<string, string>;
}

/** The EventBridge pattern of a task that stopped badly: a container exited non-zero, or the task never started. */
export function failedTaskPattern(clusterArn: string): Record<string, unknown> {
    return {
        source: ["aws.ecs"],
        "detail-type": ["ECS Task State Change"],
        detail: {
            clusterArn: [clusterArn],
            lastStatus: ["STOPPED"],
            $or: [{ containers: { exitCode: [{ "anything-but": 0 }] } }, { stopCode: ["TaskFailedToStart"] }],
        },
    };
}

/**
 * One place an environment's alarms go: an SNS topic (with e-mail subscriptions) that CloudWatch
 * alarms and EventBridge of this account may publish to, and a rule that reports every task that
 * stops with a non-zero exit code or fails to start.
 */
export class EnvironmentAlerts extends pulumi.ComponentResource {
    public readonly topic: Topic;
    public readonly subscriptions: TopicSubscription[];
    public readonly failedTaskRule: EventRule;
    public readonly topicArn: pulumi.Output<string>;

    constructor(name: string, args: EnvironmentAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        parseOrThrow(environmentAlertsArgsSchema, args, `EnvironmentAlerts "${name}"`, "args");
        super(componentType("EnvironmentAlerts"), name, args, withPreflight(withFormerTypeAlias("EnvironmentAlerts", opts)));
        const tags = args.tags;
        this.topic = new Topic(awsName("snsTopic", name), { tags }, { parent: this });
        this.topicArn = this.topic.arn;
        this.subscriptions = (args.email ?? []).map((endpoint, i) => new TopicSubscription(`${name}-email-${i}`, { topic: this.topic.arn, protocol: "email", endpoint }, { parent: this }));
        this.failedTaskRule = new EventRule(
            awsName("eventRule", `${name}-failed-tasks`),
            { description: "Tasks that stopped with a non-zero exit code or failed to start", eventPattern: pulumi.output(args.clusterArn).apply((arn) => JSON.stringify(failedTaskPattern(arn))), tags },
            { parent: this },
        );
        const account = accountContext(this);
        new TopicPolicy(
            name,
            {
                arn: this.topic.arn,
                policy: pulumi.all([this.topic.arn, account, this.failedTaskRule.arn]).apply(([topicArn, acct, ruleArn]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Sid: "Alarms", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: topicArn, Condition: { StringEquals: { "aws:SourceAccount": acct.accountId } } },
                            { Sid: "FailedTasks", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sns:Publish", Resource: topicArn, Condition: { ArnEquals: { "aws:SourceArn": ruleArn } } },
                        ],
                    } satisfies PolicyDocument),
                ),
            },
            { parent: this },
        );
        new EventTarget(
            `${name}-failed-tasks`,
            {
                rule: this.failedTaskRule.name,
                arn: this.topic.arn,
                inputTransformer: {
                    inputPaths: { group: "$.detail.group", reason: "$.detail.stoppedReason", task: "$.detail.taskArn" },
                    inputTemplate: '"Task <task> of <group> stopped: <reason>"',
                },
            },
            { parent: this },
        );
        this.registerOutputs({ topicArn: this.topicArn });
    }
}

/** Every argument has its rule in the schema: adding one without it does not compile. */
const environmentAlertsArgsChecked: EveryArgumentChecked<EnvironmentAlertsArgs, typeof environmentAlertsArgsSchema.shape> = true;
