/**
 * The repository policy of a release repository: named AWS accounts may pull its images and read
 * which digest a tag names, and nothing else. Environments in other accounts run release tags from
 * it; only the owning account pushes (through its own IAM policies, which need no grant here).
 *
 * Why these actions, and only these:
 * - pull, as ECS does it for a task's image: ecr:BatchCheckLayerAvailability, ecr:BatchGetImage,
 *   ecr:GetDownloadUrlForLayer (the pull permissions of AWS's own repository policy examples,
 *   https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html, and the
 *   execution role's, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html);
 * - the deploy-time lookup of a tag (`aws.ecr.getImage`, core/imageReference.ts): the Terraform AWS
 *   provider's aws_ecr_image data source calls DescribeImages and then DescribeRepositories, both
 *   with the registry ID (internal/service/ecr/image_data_source.go), so a deploy in another account
 *   needs ecr:DescribeImages and ecr:DescribeRepositories on this repository, or it cannot check the tag.
 * ecr:GetAuthorizationToken is not a repository action: each consuming role gets it from its own
 * IAM policy (the execution role already has it).
 */
import { parseArn } from "./arns";

/** An AWS account ID, as ECR's registryId and IAM's account principal take it: 12 digits (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_SetRepositoryPolicy.html). */
export const ACCOUNT_ID = /^\d{12}$/;

/**
 * An AWS Organizations ID, as aws:PrincipalOrgID compares it: `o-` and 10 to 32 lower-case letters
 * or digits (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html).
 */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

/** What ECS needs to pull a task's image. */
export const PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] as const;

/** What the deploy-time lookup of a tag reads (the aws_ecr_image data source). */
export const LOOKUP_ACTIONS = ["ecr:DescribeImages", "ecr:DescribeRepositories"] as const;

/** Every action a foreign account may be granted: read only. */
export const READ_ONLY_ACTIONS: readonly string[] = [...PULL_ACTIONS, ...LOOKUP_ACTIONS];

/** SetRepositoryPolicy's policyText: at most 10,240 characters (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_SetRepositoryPolicy.html). */
export const REPOSITORY_POLICY_MAX_LENGTH = 10240;

export interface PullAccess {
    /** The accounts whose principals may pull. */
    accounts: string[];
    /** Only principals of this AWS Organization (aws:PrincipalOrgID). */
    organizationId?: string;
    /** Only these principals (aws:PrincipalArn, wildcards allowed in the name), each in one of `accounts`. */
    principalArns?: string[];
}

export interface RepositoryPolicyStatement {
    Sid: string;
    Effect: "Allow";
    Principal: { AWS: string[] };
    Action: string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface RepositoryPolicyDocument {
    Version: "2012-10-17";
    Statement: RepositoryPolicyStatement[];
}

/**
 * An IAM role or user that a condition may name: `arn:<partition>:iam::<account>:role|user/<path><name>`,
 * `*` and `?` allowed in the name for ArnLike (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
 */
const PRINCIPAL_ARN_RESOURCE = /^(role|user)\/[\w+=,.@\-/*?]+$/;

export interface PullAccessProblem {
    /** The key path, relative to where the access is given: `["pullAccounts", 1]`. */
    path: (string | number)[];
    message: string;
}

/** A key path as the validation messages write it: `pullAccounts[1]`. */
export function keyText(path: readonly (string | number)[]): string {
    return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

/**
 * Why this access cannot be granted, key by key: account IDs that are not 12 digits, an account
 * named twice, the repository's own account (its principals get access through their IAM
 * policies, so naming it only widens the grant to every principal of the account whose IAM policy
 * allows ECR), an organization ID or principal ARN of the wrong shape, a principal outside the
 * named accounts, or a policy longer than ECR takes.
 */
export function pullAccessProblems(access: PullAccess, ownAccount?: string, partition = "aws"): PullAccessProblem[] {
    const problems: PullAccessProblem[] = [];
    const seen = new Map<string, number>();
    access.accounts.forEach((account, index) => {
        const key = ["pullAccounts", index];
        if (typeof account !== "string" || !ACCOUNT_ID.test(account)) {
            problems.push({ path: key, message: `${JSON.stringify(account)} is not an AWS account ID (12 digits)` });
            return;
        }
        const first = seen.get(account);
        if (first !== undefined) problems.push({ path: key, message: `${account} is already pullAccounts[${first}]: name each account once` });
        else seen.set(account, index);
        if (account === ownAccount) {
            problems.push({ path: key, message: `${account} is the repository's own account: its roles pull through their own IAM policies (the execution role does), and naming it would let every principal of the account whose IAM policy allows ECR pull; remove it` });
        }
    });
    if (access.accounts.length === 0) problems.push({ path: ["pullAccounts"], message: "is empty: name at least one account, or leave pullAccounts out (no repository policy)" });
    if (access.organizationId !== undefined && !ORGANIZATION_ID.test(access.organizationId)) {
        problems.push({ path: ["organizationId"], message: `"${access.organizationId}" is not an AWS Organizations ID (o- and 10 to 32 lower-case letters or digits)` });
    }
    (access.principalArns ?? []).forEach((arn, index) => {
        const key = ["principalArns", index];
        const parsed = typeof arn === "string" ? parseArn(arn) : undefined;
        if (!parsed || parsed.service !== "iam" || parsed.region !== "" || !PRINCIPAL_ARN_RESOURCE.test(parsed.resource)) {
            problems.push({ path: key, message: `${JSON.stringify(arn)} is not the ARN of an IAM role or user (arn:${partition}:iam::<account>:role/<name>; * and ? allowed in the name)` });
        } else if (!seen.has(parsed.account)) {
            problems.push({ path: key, message: `${arn} is in account ${parsed.account}, which is not in pullAccounts: a principal may only narrow the accounts named there` });
        }
    });
    if (problems.length === 0) {
        const length = JSON.stringify(pullPolicyDocument(access, partition)).length;
        if (length > REPOSITORY_POLICY_MAX_LENGTH) {
            problems.push({ path: ["pullAccounts"], message: `make a repository policy of ${length} characters; ECR takes at most ${REPOSITORY_POLICY_MAX_LENGTH}: grant an organization (organizationId) instead of listing accounts` });
        }
    }
    return problems;
}

/** The account principal: it delegates to the account's own IAM policies which of its principals may act. */
export function accountPrincipal(account: string, partition = "aws"): string {
    return `arn:${partition}:iam::${account}:root`;
}

/**
 * The policy: the named accounts' principals may pull and look up tags, optionally only those of
 * one organization or with given ARNs. Account principals, never `*`, so the policy is not public
 * even without conditions; accounts sorted, so a reordered list changes nothing.
 */
export function pullPolicyDocument(access: PullAccess, partition = "aws"): RepositoryPolicyDocument {
    const principals = [...new Set(access.accounts)].sort().map((a) => accountPrincipal(a, partition));
    const condition: Record<string, Record<string, string | string[]>> = {};
    if (access.organizationId !== undefined) condition.StringEquals = { "aws:PrincipalOrgID": access.organizationId };
    if (access.principalArns !== undefined && access.principalArns.length > 0) condition.ArnLike = { "aws:PrincipalArn": [...access.principalArns].sort() };
    const withCondition = Object.keys(condition).length > 0 ? { Condition: condition } : {};
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "PullReleaseImages", Effect: "Allow", Principal: { AWS: principals }, Action: [...PULL_ACTIONS], ...withCondition },
            { Sid: "LookUpReleaseTags", Effect: "Allow", Principal: { AWS: principals }, Action: [...LOOKUP_ACTIONS], ...withCondition },
        ],
    };
}

/** The accounts a policy's AWS principals name (`*` as itself), for the plan and the controls. */
export function principalAccounts(principal: unknown): string[] {
    const aws = typeof principal === "string" ? [principal] : principal && typeof principal === "object" ? (principal as { AWS?: unknown }).AWS : undefined;
    const list = Array.isArray(aws) ? aws : aws === undefined ? [] : [aws];
    return list.map((p) => {
        const text = String(p);
        if (text === "*") return "*";
        if (ACCOUNT_ID.test(text)) return text;
        return parseArn(text)?.account ?? text;
    });
}
