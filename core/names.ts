import { createHash } from "node:crypto";
import { ECR_REPOSITORY_NAME, ECR_REPOSITORY_NAME_LENGTH } from "./ecrNames";

/**
 * Names of child resources. Physical names are left to Pulumi's auto-naming (logical name plus a
 * random suffix of 8 characters), which never collides between stacks and survives replacements.
 * What we control is the logical name: `awsName` makes it one AWS accepts for that kind of
 * resource once the suffix is added, whatever the component was called. The rules below are also
 * what the preflight checks every registered name against (core/preflight/names.ts).
 */

/** Pulumi's auto-naming appends "-" and 7 random lower-case hex characters. */
export const AUTONAME_SUFFIX_LENGTH = 8;
/** What the auto-naming suffix looks like, for checking a name as AWS will see it. */
export const AUTONAME_SUFFIX_EXAMPLE = "-0a1b2c3";
/** Terraform's `name_prefix` appends a 26-character unique id (helper/id.UniqueIDSuffixLength). */
export const NAME_PREFIX_SUFFIX_LENGTH = 26;

export interface NameRule {
    /** The resource type token whose name this is. */
    type: string;
    /** The input holding the physical name. */
    property: string;
    /** Pulumi auto-names it from the logical name when the input is not set. */
    autonamed: boolean;
    min: number;
    max: number;
    /** One allowed character. */
    char: RegExp;
    /** The allowed characters, in words, for messages. */
    allowed: string;
    /** Only lower-case letters. */
    lowercase?: boolean;
    /** A suffix allowed beyond the characters (SQS FIFO queues end in ".fifo"). */
    allowedSuffix?: string;
    /** Rules on the whole name beyond its characters: a test that must hold (or, negated, must not), and what it means. */
    shape?: { test: RegExp; negate?: boolean; message: string }[];
    sources: string[];
}

const TF = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service";
const ALNUM_ENDS = { test: /^[A-Za-z0-9].*[A-Za-z0-9]$|^[A-Za-z0-9]$/, message: "must start and end with a letter or digit" };

/** The character sets AWS names use, each with its wording for messages. */
const CHARS = {
    alnumHyphen: { char: /[A-Za-z0-9-]/, allowed: "letters, digits and hyphens" },
    alnumHyphenUnderscore: { char: /[A-Za-z0-9_-]/, allowed: "letters, digits, hyphens and underscores" },
    alnumDotHyphenUnderscore: { char: /[A-Za-z0-9._-]/, allowed: "letters, digits and . _ -" },
    iam: { char: /[\w+=,.@-]/, allowed: "letters, digits and + = , . @ _ -" },
    printable: { char: /[\x20-\x7e]/, allowed: "printable ASCII characters" },
    ec2: { char: /[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]/, allowed: "letters, digits, spaces and . _ - : / ( ) # , @ [ ] + = & ; { } ! $ *" },
} as const;

/** A name Pulumi auto-names from the logical name (property `name`, at least 1 character) unless `over` says otherwise. */
function named(type: string, max: number, chars: { char: RegExp; allowed: string }, sources: string[], over: Partial<NameRule> = {}): NameRule {
    return { type, property: "name", autonamed: true, min: 1, max, ...chars, sources, ...over };
}

/** AWS's naming rules for every kind of resource this project names (or lets Pulumi name). */
export const AWS_NAMES = {
    loadBalancer: named("aws:lb/loadBalancer:LoadBalancer", 32, CHARS.alnumHyphen, ["https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html", `${TF}/elbv2/validate.go`], {
        shape: [ALNUM_ENDS, { test: /^internal-/, negate: true, message: 'must not start with "internal-"' }],
    }),
    targetGroup: named("aws:lb/targetGroup:TargetGroup", 32, CHARS.alnumHyphen, ["https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html", `${TF}/elbv2/validate.go`], {
        shape: [ALNUM_ENDS],
    }),
    iamRole: named("aws:iam/role:Role", 64, CHARS.iam, ["https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html", `${TF}/iam/role.go`]),
    iamRolePolicy: named("aws:iam/rolePolicy:RolePolicy", 128, CHARS.iam, ["https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html", `${TF}/iam/validate.go`]),
    iamPolicy: named("aws:iam/policy:Policy", 128, CHARS.iam, ["https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html", `${TF}/iam/policy.go`]),
    ecsCluster: named("aws:ecs/cluster:Cluster", 255, CHARS.alnumHyphenUnderscore, ["https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html", `${TF}/ecs/cluster.go`]),
    ecsService: named("aws:ecs/service:Service", 255, CHARS.alnumHyphenUnderscore, ["https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html", `${TF}/ecs/service.go`]),
    taskFamily: named("aws:ecs/taskDefinition:TaskDefinition", 255, CHARS.alnumHyphenUnderscore, ["https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html", `${TF}/ecs/task_definition.go`], {
        property: "family",
        autonamed: false,
    }),
    logGroup: named("aws:cloudwatch/logGroup:LogGroup", 512, { char: /[A-Za-z0-9._\-/#]/, allowed: "letters, digits and . _ - / #" }, [
        "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
        `${TF}/logs/validate.go`,
    ]),
    sqsQueue: named("aws:sqs/queue:Queue", 80, CHARS.alnumHyphenUnderscore, ["https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html", `${TF}/sqs/queue.go`], {
        allowed: "letters, digits, hyphens and underscores (and a final .fifo for a FIFO queue)",
        allowedSuffix: ".fifo",
    }),
    ecrRepository: named("aws:ecr/repository:Repository", ECR_REPOSITORY_NAME_LENGTH.max, { char: /[a-z0-9._\-/]/, allowed: "lower-case letters, digits and . _ - /" }, ["https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html", `${TF}/ecr/repository.go`], {
        min: ECR_REPOSITORY_NAME_LENGTH.min,
        lowercase: true,
        shape: [{ test: ECR_REPOSITORY_NAME, message: "must be lower-case words of letters and digits joined by single . _ - or /" }],
    }),
    eventRule: named("aws:cloudwatch/eventRule:EventRule", 64, CHARS.alnumDotHyphenUnderscore, ["https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html", `${TF}/events/validate.go`]),
    schedule: named("aws:scheduler/schedule:Schedule", 64, CHARS.alnumDotHyphenUnderscore, ["https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html", `${TF}/scheduler/schedule.go`]),
    snsTopic: named("aws:sns/topic:Topic", 256, CHARS.alnumHyphenUnderscore, ["https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html", `${TF}/sns/topic.go`]),
    metricAlarm: named("aws:cloudwatch/metricAlarm:MetricAlarm", 255, CHARS.printable, ["https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html", `${TF}/cloudwatch/metric_alarm.go`]),
    dashboard: named("aws:cloudwatch/dashboard:Dashboard", 255, CHARS.alnumHyphenUnderscore, ["https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html", `${TF}/cloudwatch/dashboard.go`], {
        property: "dashboardName",
        autonamed: false,
    }),
    securityGroup: named("aws:ec2/securityGroup:SecurityGroup", 255, CHARS.ec2, ["https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html", `${TF}/ec2/vpc_security_group.go`], {
        shape: [{ test: /^sg-/i, negate: true, message: 'must not start with "sg-"' }],
    }),
    scalingPolicy: named("aws:appautoscaling/policy:Policy", 255, CHARS.printable, ["https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html", `${TF}/appautoscaling/policy.go`]),
    // Printable ASCII without spaces, "/", ":" and "|".
    scheduledAction: named("aws:appautoscaling/scheduledAction:ScheduledAction", 255, { char: /[\x21-\x2e\x30-\x39\x3b-\x7b\x7d\x7e]/, allowed: "printable ASCII characters except spaces, : / and |" }, [
        "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html",
        `${TF}/appautoscaling/scheduled_action.go`,
    ]),
    s3Bucket: named("aws:s3/bucket:Bucket", 63, { char: /[a-z0-9.-]/, allowed: "lower-case letters, digits, dots and hyphens" }, ["https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html", `${TF}/s3/bucket.go`], {
        property: "bucket",
        min: 3,
        lowercase: true,
        shape: [
            ALNUM_ENDS,
            { test: /\.\./, negate: true, message: "must not contain two dots in a row" },
            { test: /^\d+\.\d+\.\d+\.\d+$/, negate: true, message: "must not look like an IP address" },
            { test: /^(xn--|sthree-|amzn-s3-demo-)|(-s3alias|--ol-s3|--x-s3|--table-s3)$/, negate: true, message: "must not use a prefix or suffix AWS reserves" },
        ],
    }),
} satisfies Record<string, NameRule>;

export type NameKind = keyof typeof AWS_NAMES;

export function shortHash(text: string, length = 4): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** What is wrong with a physical name of this kind, or undefined. */
export function nameProblem(kind: NameKind, name: string): string | undefined {
    const rule: NameRule = AWS_NAMES[kind];
    if (name.length < rule.min || name.length > rule.max) return `${JSON.stringify(name)} has ${name.length} characters; AWS allows ${rule.min} to ${rule.max}`;
    const body = rule.allowedSuffix && name.endsWith(rule.allowedSuffix) ? name.slice(0, -rule.allowedSuffix.length) : name;
    // Stryker disable next-line ConditionalExpression: equivalent for the table as it is, the character class of every lower-case kind has no upper-case letter
    const bad = [...body].filter((c) => !rule.char.test(c) || (rule.lowercase && c !== c.toLowerCase()));
    if (bad.length > 0) return `${JSON.stringify(name)} has characters AWS refuses (${[...new Set(bad)].map((c) => JSON.stringify(c)).join(" ")}); allowed: ${rule.allowed}`;
    for (const shape of rule.shape ?? []) {
        if (shape.test.test(name) === Boolean(shape.negate)) return `${JSON.stringify(name)} ${shape.message}`;
    }
    return undefined;
}

const RESERVED_START = /^(internal-|sg-|xn--|sthree-|amzn-s3-demo-)/i;

/**
 * A logical name from which Pulumi's auto-naming makes a name AWS accepts for `kind`. A name that
 * already works is returned unchanged (so existing stacks keep their resources). Otherwise refused
 * characters become "-", the ends are trimmed to letters and digits, and a short hash of the
 * original keeps two names that differ only there apart; a long name keeps its start (which
 * carries the environment) and its last word (`-execution`, `-task`: what the resource is).
 */
export function awsName(kind: NameKind, name: string): string {
    const rule: NameRule = AWS_NAMES[kind];
    const room = rule.max - (rule.autonamed ? AUTONAME_SUFFIX_LENGTH : 0);
    const asDeployed = (n: string) => (rule.autonamed ? `${n}${AUTONAME_SUFFIX_EXAMPLE}` : n);
    // Stryker disable next-line ConditionalExpression: the room test is equivalent when always true, nameProblem also refuses a name over the maximum once suffixed
    if (name.length <= room && name.length > 0 && nameProblem(kind, asDeployed(name)) === undefined) return name;

    const hash = shortHash(name);
    // The last word is kept when it is short beside the room (a role's "-execution" in 56 characters).
    // Stryker disable next-line Regex: equivalent without ^, (.+) is greedy from the first character
    const word = /^(.+)(-[a-z]{1,12})$/.exec(name);
    const [head, tail] = word && word[2].length * 4 <= room ? [word[1], word[2]] : [name, ""];
    let base = rule.lowercase ? head.toLowerCase() : head;
    base = [...base].map((c) => (rule.char.test(c) ? c : "-")).join("");
    // Runs of separators and separators at the ends break the stricter kinds (ECR, S3, load balancers).
    // Stryker disable next-line Regex: the trailing + is equivalent, the trim after the cut below removes what is left
    base = base.replace(/[-_.:/ ]{2,}/g, "-").replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
    // Reserved prefixes ("internal-", "sg-", "xn--"...): a letter in front keeps the name readable.
    if (RESERVED_START.test(`${base}-`)) base = `n${base}`;
    base = base.slice(0, Math.max(0, room - hash.length - 1 - tail.length)).replace(/[^A-Za-z0-9]+$/, "");
    return `${base ? `${base}-` : "n"}${hash}${tail}`;
}

/** A task definition family: explicit (families are not auto-named), so it carries project and stack. */
export function taskFamily(project: string, stack: string, name: string): string {
    return awsName("taskFamily", `${project}-${stack}-${name}`);
}

/** The longest `namePrefix` of a log group: Terraform's validLogGroupNamePrefix (internal/service/logs/validate.go). */
export const LOG_GROUP_PREFIX_MAX = 483;

/** The prefix of a log group name; AWS appends a unique suffix. Readable in the console, unique per stack. */
export function logGroupPrefix(project: string, stack: string, name: string): string {
    const clean = (part: string) => [...part].map((c) => (AWS_NAMES.logGroup.char.test(c) ? c : "-")).join("");
    const prefix = `/ecs/${clean(project)}/${clean(stack)}/${clean(name)}-`;
    return prefix.length <= LOG_GROUP_PREFIX_MAX ? prefix : `${prefix.slice(0, LOG_GROUP_PREFIX_MAX - 6)}-${shortHash(prefix)}-`;
}
