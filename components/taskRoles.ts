import * as pulumi from "@pulumi/pulumi";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicy } from "@pulumi/aws/iam/rolePolicy";
import { RolePolicyAttachment } from "@pulumi/aws/iam/rolePolicyAttachment";
import {
    AccountContext,
    ExecutionRoleGrants,
    PolicyStatement,
    ecsTasksTrustPolicy,
    executeCommandStatement,
    executionRolePolicy,
    policyDocument,
} from "../core/iamDocuments";
import { awsName } from "../core/names";
import type { PolicyDocument } from "@pulumi/aws/iam/documents";

/** Allow or deny, in a policy statement. */
export const PolicyEffect = {
    /** The statement grants its actions. */
    Allow: "Allow",
    /** The statement refuses its actions, whatever else allows them. */
    Deny: "Deny",
} as const;
export type PolicyEffect = (typeof PolicyEffect)[keyof typeof PolicyEffect];

/** What the application in the task may do on AWS. */
export interface TaskRoleArgs {
    /**
     * Policy statements, added as one inline policy. Name actions and resources: a statement with
     * a service-wide action (`"s3:*"`) or with `"*"` for both is refused (Security Hub IAM.21, IAM.1).
     * @default []
     * @example
     * ```ts
     * { statements: [{ actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resources: [table.arn] }] }
     * ```
     */
    statements?: PolicyStatementArgs[];
    /**
     * ARNs of managed policies to attach.
     * @default []
     * @example
     * ```ts
     * { managedPolicyArns: ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"] }
     * ```
     */
    managedPolicyArns?: pulumi.Input<string>[];
}

/** One IAM policy statement. */
export interface PolicyStatementArgs {
    /**
     * Whether the statement allows or denies.
     * @default "Allow"
     * @example
     * ```ts
     * { effect: "Deny", actions: ["s3:DeleteObject"], resources: ["*"] }
     * ```
     */
    effect?: PolicyEffect;
    /**
     * The actions, such as `"sqs:SendMessage"`.
     * @example
     * ```ts
     * { actions: ["sqs:SendMessage"] }
     * ```
     */
    actions: string[];
    /**
     * The resource ARNs the actions apply to.
     * @example
     * ```ts
     * { resources: [queue.arn] }
     * ```
     */
    resources: pulumi.Input<string>[];
    /**
     * Conditions, all of which must hold.
     * @default []
     * @example
     * ```ts
     * { conditions: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: ["eu-west-1"] }] }
     * ```
     */
    conditions?: PolicyConditionArgs[];
}

/** A condition of a policy statement. */
export interface PolicyConditionArgs {
    /**
     * The condition operator, such as `StringEquals` or `ArnLike`.
     * @example
     * ```ts
     * { test: "StringEquals" }
     * ```
     */
    test: string;
    /**
     * The condition key, such as `aws:SourceVpc`.
     * @example
     * ```ts
     * { variable: "aws:SourceVpc" }
     * ```
     */
    variable: string;
    /**
     * The values to compare with.
     * @example
     * ```ts
     * { values: ["vpc-0123456789abcdef0"] }
     * ```
     */
    values: string[];
}

/** Turns user statements (whose resources may be outputs) into policy statements. */
export function toPolicyStatements(statements: PolicyStatementArgs[]): pulumi.Output<PolicyStatement[]> {
    return pulumi.output(statements.map((s) => pulumi.output(s.resources).apply((resources) => ({ s, resources })))).apply((resolved) =>
        resolved.map(({ s, resources }) => {
            const statement: PolicyStatement = { Effect: s.effect ?? "Allow", Action: s.actions, Resource: resources };
            if (s.conditions && s.conditions.length > 0) {
                const condition: Record<string, Record<string, string[]>> = {};
                for (const c of s.conditions) (condition[c.test] ??= {})[c.variable] = c.values;
                statement.Condition = condition;
            }
            return statement;
        }),
    );
}

export interface ExecutionRole {
    role: Role;
    policy: RolePolicy;
}

/** The role ECS uses to start the task: pull the image, write logs, read the secrets. Nothing else. */
export function createExecutionRole(
    name: string,
    grants: pulumi.Output<ExecutionRoleGrants>,
    account: pulumi.Output<AccountContext>,
    parent: pulumi.Resource,
    tags: Record<string, string> | undefined,
): ExecutionRole {
    const role = new Role(
        awsName("iamRole", name),
        {
            description: "ECS task execution role: image pull, logs and secrets of one task definition",
            assumeRolePolicy: account.apply((a) => JSON.stringify(ecsTasksTrustPolicy(a) satisfies PolicyDocument)),
            tags,
        },
        { parent },
    );
    const policy = new RolePolicy(
        awsName("iamRolePolicy", name),
        {
            role: role.id,
            policy: pulumi.all([grants, account]).apply(([g, a]) => JSON.stringify(executionRolePolicy(g, a) satisfies PolicyDocument)),
        },
        { parent },
    );
    return { role, policy };
}

export interface TaskRole {
    role: Role;
    policy?: RolePolicy;
    attachments: RolePolicyAttachment[];
}

/**
 * The application's role: empty unless statements or managed policies are given, plus the ECS Exec
 * channel permissions when exec is on, and what the component grants itself (`granted`: EFS volumes).
 */
export function createTaskRole(
    name: string,
    args: TaskRoleArgs,
    executeCommand: boolean,
    account: pulumi.Output<AccountContext>,
    parent: pulumi.Resource,
    tags: Record<string, string> | undefined,
    granted?: pulumi.Output<PolicyStatement[]>,
): TaskRole {
    const role = new Role(
        awsName("iamRole", name),
        {
            description: "ECS task role: the application's own permissions",
            assumeRolePolicy: account.apply((a) => JSON.stringify(ecsTasksTrustPolicy(a) satisfies PolicyDocument)),
            tags,
        },
        { parent },
    );
    const hasStatements = (args.statements?.length ?? 0) > 0 || executeCommand || granted !== undefined;
    const statements = pulumi.all([toPolicyStatements(args.statements ?? []), granted ?? []]).apply(([user, components]) => [
        ...user,
        ...(executeCommand ? [executeCommandStatement()] : []),
        ...components,
    ]);
    const policy = hasStatements
        ? new RolePolicy(awsName("iamRolePolicy", name), { role: role.id, policy: statements.apply((s) => JSON.stringify(policyDocument(s) satisfies PolicyDocument)) }, { parent })
        : undefined;
    const attachments = (args.managedPolicyArns ?? []).map(
        (policyArn, i) => new RolePolicyAttachment(`${name}-${i}`, { role: role.name, policyArn }, { parent }),
    );
    return { role, policy, attachments };
}
