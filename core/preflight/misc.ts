import { EC2_DESCRIPTION_RULE, ec2DescriptionProblem } from "../aws/ec2Rules";
import { ResourceRule, RuleViolation, isUnknown, rangeViolation, textViolation } from "./types";

/** EC2 security groups, CloudWatch alarms, and the tags every resource carries. */

const EC2 = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference";
const EC2_ALLOWED = EC2_DESCRIPTION_RULE.allowedCharacters;

function descriptionViolation(inputs: Record<string, any>, kind: "group" | "rule"): RuleViolation[] {
    const problem = typeof inputs.description === "string" ? ec2DescriptionProblem(inputs.description, kind) : undefined;
    return problem ? [{ key: "description", message: problem }] : [];
}

const ruleChecks = (r: { inputs: Record<string, any> }): RuleViolation[] => {
    // Stryker disable next-line StringLiteral: equivalent, any kind but "group" is judged as a rule's description
    const out = descriptionViolation(r.inputs, "rule");
    if (r.inputs.ipProtocol !== "-1" && !isUnknown(r.inputs, "ipProtocol")) {
        out.push(...rangeViolation(r.inputs, "fromPort", 0, 65535), ...rangeViolation(r.inputs, "toPort", 0, 65535));
        if (typeof r.inputs.fromPort === "number" && typeof r.inputs.toPort === "number" && r.inputs.fromPort > r.inputs.toPort) {
            out.push({ key: "fromPort", message: `${r.inputs.fromPort} is above toPort (${r.inputs.toPort})` });
        }
    }
    const targets = ["cidrIpv4", "cidrIpv6", "referencedSecurityGroupId", "prefixListId"].filter((k) => r.inputs[k] !== undefined);
    if (targets.length > 1) out.push({ key: targets[1], message: `cannot be set with ${targets[0]}: a rule has one source or destination` });
    return out;
};

export const MISC_RULES: ResourceRule[] = [
    {
        id: "ec2.securityGroup.description",
        type: "aws:ec2/securityGroup:SecurityGroup",
        title: `a description of at most 255 characters: ${EC2_ALLOWED}`,
        sources: [`${EC2}/API_CreateSecurityGroup.html`, "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/ec2/vpc_security_group.go"],
        check: (r) => descriptionViolation(r.inputs, "group"),
    },
    {
        id: "vpc.securityGroupIngressRule.settings",
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        title: "a description of at most 255 characters of the EC2 set; ports 0–65535, from at most to; one source",
        sources: [`${EC2}/API_IpRange.html`, `${EC2}/API_AuthorizeSecurityGroupIngress.html`],
        check: ruleChecks,
    },
    {
        id: "vpc.securityGroupEgressRule.settings",
        type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        title: "a description of at most 255 characters of the EC2 set; ports 0–65535, from at most to; one destination",
        sources: [`${EC2}/API_IpRange.html`, `${EC2}/API_AuthorizeSecurityGroupEgress.html`],
        check: ruleChecks,
    },
    {
        id: "cloudwatch.metricAlarm.settings",
        type: "aws:cloudwatch/metricAlarm:MetricAlarm",
        title: "a description of at most 1024 characters; at most 5 actions per state",
        sources: ["https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html"],
        check(r) {
            const out = textViolation(r.inputs, "alarmDescription", 1024);
            for (const key of ["alarmActions", "okActions", "insufficientDataActions"]) {
                if (Array.isArray(r.inputs[key]) && r.inputs[key].length > 5) out.push({ key, message: `has ${r.inputs[key].length} actions; CloudWatch allows 5` });
            }
            return out;
        },
    },
    {
        id: "tagging.tags",
        type: "*",
        title: "at most 50 tags; keys of 1–128 characters not starting with aws:, values of at most 256",
        sources: ["https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html"],
        check(r) {
            const tags = r.inputs.tags;
            if (!tags || typeof tags !== "object" || Array.isArray(tags)) return [];
            const out: RuleViolation[] = [];
            const entries = Object.entries(tags as Record<string, unknown>);
            if (entries.length > 50) out.push({ key: "tags", message: `has ${entries.length} tags; AWS allows 50 per resource` });
            for (const [key, value] of entries) {
                if (key.length === 0 || key.length > 128) out.push({ key: `tags.${key}`, message: `key has ${key.length} characters; AWS allows 1 to 128` });
                if (key.toLowerCase().startsWith("aws:")) out.push({ key: `tags.${key}`, message: 'keys starting with "aws:" are reserved by AWS' });
                if (typeof value === "string" && value.length > 256) out.push({ key: `tags.${key}`, message: `value has ${value.length} characters; AWS allows 256` });
            }
            return out;
        },
    },
];
