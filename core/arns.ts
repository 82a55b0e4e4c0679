/**
 * Reading ARNs and image URIs: which service a secret lives in, which ECR repository an image
 * comes from. The execution role's permissions are scoped from these.
 */

/** An AWS Region name: us-east-1, eu-central-2, us-gov-west-1, cn-north-1 (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html). */
export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * A managed policy's ARN: arn:<partition>:iam::aws|<account>:policy/<path><name>, the name in IAM's
 * character set (https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html).
 */
export const MANAGED_POLICY_ARN = /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/[\w+=,.@\-/]+$/;

/**
 * Why not @aws-sdk/util-arn-parser: its `validate` accepts any text that starts with `arn:` and has
 * six colon-separated parts, and its `parse` throws on anything shorter. The point here is the check
 * (a 12-digit account or `aws`, a lower-case service, the AWS partitions, nothing around it), which
 * the one pattern below does and parses in the same step; the library would add a dependency to the
 * component package and keep the pattern.
 */
export interface ParsedArn {
    partition: string;
    service: string;
    region: string;
    account: string;
    resource: string;
}

const ARN = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|):(.+)$/;

export function parseArn(arn: string): ParsedArn | undefined {
    const match = ARN.exec(arn);
    if (!match) return undefined;
    const [, partition, service, region, account, resource] = match;
    return { partition, service, region, account, resource };
}

export type SecretSource = "secretsmanager" | "ssm";

/** Where a container secret comes from, or undefined when the ARN is neither kind ECS accepts. */
export function secretSource(arn: string): SecretSource | undefined {
    const parsed = parseArn(arn);
    if (parsed?.service === "secretsmanager" && parsed.resource.startsWith("secret:")) return "secretsmanager";
    if (parsed?.service === "ssm" && parsed.resource.startsWith("parameter/")) return "ssm";
    return undefined;
}

/**
 * The IAM resource for a secret reference. ECS lets a Secrets Manager reference select a JSON key
 * and version (`arn:...:secret:name-AbCdEf:key:stage:version`); IAM wants the secret's own ARN.
 */
export function secretPolicyResource(arn: string): string {
    const parsed = parseArn(arn);
    if (parsed?.service !== "secretsmanager") return arn;
    const [, name] = parsed.resource.split(":");
    return `arn:${parsed.partition}:secretsmanager:${parsed.region}:${parsed.account}:secret:${name}`;
}

export interface EcrImage {
    account: string;
    region: string;
    repository: string;
}

// The IPv4 host (dkr.ecr…amazonaws.com) and the dual-stack one (dkr-ecr…on.aws): https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-requests.html
const ECR_URI = /^(\d{12})\.(?:dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|dkr-ecr\.([a-z0-9-]+)\.on\.aws)\/([a-z0-9._\/-]+?)(?:[:@].*)?$/;

/** The private ECR repository an image URI points into, if it does. */
export function ecrImage(uri: string): EcrImage | undefined {
    const match = ECR_URI.exec(uri);
    if (!match) return undefined;
    return { account: match[1], region: match[2] ?? match[3], repository: match[4] };
}

export function ecrRepositoryArn(image: EcrImage, partition = "aws"): string {
    return `arn:${partition}:ecr:${image.region}:${image.account}:repository/${image.repository}`;
}
