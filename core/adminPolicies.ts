import { parseArn } from "./arns";

/**
 * AWS managed policies that hand over an account: full access to everything
 * (AdministratorAccess), to everything but IAM and Organizations (PowerUserAccess, which still
 * reaches every data store), or to IAM itself (IAMFullAccess, which can grant the rest). Listed
 * among AWS's job-function and service policies:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html and
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/IAMFullAccess.html.
 * A task role needs none of them (Security Hub IAM.1).
 */
export const ADMIN_MANAGED_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"] as const;

/** The name of the administrator policy an ARN points to, or undefined (customer policies are judged by their document). */
export function adminManagedPolicy(arn: unknown): string | undefined {
    // Stryker disable next-line ConditionalExpression: equivalent when false, parseArn finds no ARN in a value that is not text
    if (typeof arn !== "string") return undefined;
    const parsed = parseArn(arn);
    if (parsed?.service !== "iam" || parsed.account !== "aws") return undefined;
    // Stryker disable next-line Regex: equivalent without ^, a resource holds "policy/" first or names no administrator policy either way
    const name = parsed.resource.replace(/^policy\//, "");
    return (ADMIN_MANAGED_POLICIES as readonly string[]).includes(name) ? name : undefined;
}

/** Whether an IAM action grants every action of every service: `*`, or `*:*`. */
export function isEveryAction(action: unknown): boolean {
    return action === "*" || action === "*:*";
}
