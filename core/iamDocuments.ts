/**
 * IAM policy documents, as plain data. Every statement names its resources; `"*"` appears only
 * where AWS offers no resource-level permission (each such place says so).
 *
 * Why our own types and not `aws.iam.PolicyDocument` from @pulumi/aws: that type describes any
 * document a user may hand to a resource, so every field is optional and may be an Input, and
 * Resource may be missing. These say what our documents promise (plain values, an action list and
 * a resource list on every statement), which the controls and tests read. Where a document is
 * handed to AWS (components/taskRoles.ts, runTaskRole.ts, accessLogsBucket.ts, the topic and queue
 * policies), it `satisfies` @pulumi/aws's PolicyDocument, so the compiler holds the two together.
 * core/ stays free of Pulumi's types.
 */

export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource: string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

export interface TrustPolicyStatement {
    Effect: "Allow";
    Principal: { Service: string };
    Action: string[];
    Condition?: Record<string, Record<string, string>>;
}

export interface TrustPolicyDocument {
    Version: "2012-10-17";
    Statement: TrustPolicyStatement[];
}

export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

export interface AccountContext {
    partition: string;
    region: string;
    accountId: string;
}

/**
 * Trust for a role that an AWS service assumes, limited to calls made on behalf of this account
 * (`aws:SourceAccount`) and, where given, to one source ARN pattern: the confused-deputy guard.
 */
export function serviceTrustPolicy(service: string, account: AccountContext, sourceArnPattern?: string): TrustPolicyDocument {
    const condition: Record<string, Record<string, string>> = {
        StringEquals: { "aws:SourceAccount": account.accountId },
    };
    if (sourceArnPattern) condition.ArnLike = { "aws:SourceArn": sourceArnPattern };
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: ["sts:AssumeRole"], Condition: condition }],
    };
}

/** Trust for task and execution roles: ECS tasks of this account, in this region. */
export function ecsTasksTrustPolicy(account: AccountContext): TrustPolicyDocument {
    return serviceTrustPolicy(
        "ecs-tasks.amazonaws.com",
        account,
        `arn:${account.partition}:ecs:${account.region}:${account.accountId}:*`,
    );
}

export interface ExecutionRoleGrants {
    /** ECR repositories the task pulls its images from. */
    repositoryArns: string[];
    /** Log groups the containers write to. */
    logGroupArns: string[];
    /** Secrets Manager secrets injected as container secrets. */
    secretArns: string[];
    /** SSM parameters injected as container secrets. */
    parameterArns: string[];
    /** Customer-managed KMS keys that encrypt those secrets or parameters. */
    kmsKeyArns: string[];
}

/**
 * What ECS needs to start the task, and nothing more: pull from these repositories, write to these
 * log groups, read these secrets.
 */
export function executionRolePolicy(grants: ExecutionRoleGrants, account: AccountContext): PolicyDocument {
    const statements: PolicyStatement[] = [];
    if (grants.repositoryArns.length > 0) {
        statements.push({
            Sid: "EcrAuthorizationToken",
            Effect: "Allow",
            // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
            Action: ["ecr:GetAuthorizationToken"],
            Resource: ["*"],
        });
        statements.push({
            Sid: "PullImages",
            Effect: "Allow",
            Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
            Resource: unique(grants.repositoryArns),
        });
    }
    if (grants.logGroupArns.length > 0) {
        statements.push({
            Sid: "WriteLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: unique(grants.logGroupArns).map((arn) => `${arn}:log-stream:*`),
        });
    }
    if (grants.secretArns.length > 0) {
        statements.push({
            Sid: "ReadSecrets",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue"],
            Resource: unique(grants.secretArns),
        });
    }
    if (grants.parameterArns.length > 0) {
        statements.push({
            Sid: "ReadParameters",
            Effect: "Allow",
            Action: ["ssm:GetParameters"],
            Resource: unique(grants.parameterArns),
        });
    }
    if (grants.kmsKeyArns.length > 0) {
        statements.push({
            Sid: "DecryptSecrets",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: unique(grants.kmsKeyArns),
            // Only when Secrets Manager or SSM decrypt on the task's behalf, never directly.
            Condition: {
                StringEquals: {
                    "kms:ViaService": [
                        `secretsmanager.${account.region}.amazonaws.com`,
                        `ssm.${account.region}.amazonaws.com`,
                    ],
                },
            },
        });
    }
    return policyDocument(statements);
}

/**
 * ECS Exec: the SSM agent in the task opens its channels through these actions, which have no
 * resource-level permissions (AWS requires "*").
 */
export function executeCommandStatement(): PolicyStatement {
    return {
        Sid: "EcsExec",
        Effect: "Allow",
        Action: [
            "ssmmessages:CreateControlChannel",
            "ssmmessages:CreateDataChannel",
            "ssmmessages:OpenControlChannel",
            "ssmmessages:OpenDataChannel",
        ],
        Resource: ["*"],
    };
}

/** What a queue worker may do with its queue: receive, delete, extend visibility, read its attributes. */
export const QUEUE_CONSUMER_ACTIONS = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"];

/**
 * What EventBridge (rules or Scheduler) needs to start a task: run these task definitions on this
 * cluster, tag the tasks it starts, and pass these roles to ECS, and nothing else.
 */
export function runTaskPolicy(taskDefinitionArns: string[], clusterArn: string, passRoleArns: string[], deadLetterQueueArns: string[] = []): PolicyDocument {
    const statements: PolicyStatement[] = [
        {
            Sid: "RunTask",
            Effect: "Allow",
            Action: ["ecs:RunTask"],
            // Any revision of these families: a new revision must not break the schedule.
            Resource: unique(taskDefinitionArns.map(withoutRevision).map((arn) => `${arn}:*`)),
            Condition: { ArnEquals: { "ecs:cluster": clusterArn } },
        },
        {
            // RunTask with ECS managed tags or propagated tags also authorises ecs:TagResource on the new
            // task; without it every run is denied. Tagging is allowed only as part of RunTask, on this
            // cluster's tasks, never on existing resources.
            // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html
            Sid: "TagStartedTasks",
            Effect: "Allow",
            Action: ["ecs:TagResource"],
            Resource: [tasksOfCluster(clusterArn)],
            Condition: { StringEquals: { "ecs:CreateAction": "RunTask" } },
        },
        {
            Sid: "PassTaskRoles",
            Effect: "Allow",
            Action: ["iam:PassRole"],
            Resource: unique(passRoleArns),
            Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
        },
    ];
    if (deadLetterQueueArns.length > 0) {
        statements.push({ Sid: "DeadLetter", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: unique(deadLetterQueueArns) });
    }
    return policyDocument(statements);
}

/** `arn:...:cluster/name` → `arn:...:task/name/*`: the ARNs of the tasks that run on the cluster. */
export function tasksOfCluster(clusterArn: string): string {
    return `${clusterArn.replace(/:cluster\/([^/]+)$/, ":task/$1")}/*`;
}

/** `arn:...:task-definition/family:3` without its `:3`. */
export function withoutRevision(taskDefinitionArn: string): string {
    return taskDefinitionArn.replace(/:\d+$/, "");
}

function unique(values: string[]): string[] {
    return [...new Set(values)];
}

/**
 * Trust for the roles ECS itself assumes for a service's deployments (moving traffic between
 * target groups, calling lifecycle hooks): the ECS service principal, as AWS's own trust policy
 * for these roles has it, without conditions, since ECS's deployment controller is not documented
 * to send aws:SourceAccount or aws:SourceArn when it assumes them
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AmazonECSInfrastructureRolePolicyForLoadBalancers.html).
 */
export function ecsServiceTrustPolicy(): TrustPolicyDocument {
    return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs.amazonaws.com" }, Action: ["sts:AssumeRole"] }] };
}

/**
 * What ECS needs to move a service's traffic between its two target groups during a blue/green,
 * linear or canary deployment, scoped to that service: AWS's managed policy
 * AmazonECSInfrastructureRolePolicyForLoadBalancers allows the same actions on every target group,
 * listener and rule of the account
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonECSInfrastructureRolePolicyForLoadBalancers.html).
 * The Describe actions have no resource-level permissions, so they take "*"
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html).
 */
export function trafficShiftPolicy(targetGroupArns: string[], listenerRuleArns: string[]): PolicyDocument {
    return policyDocument([
        {
            Sid: "ReadLoadBalancing",
            Effect: "Allow",
            Action: ["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"],
            Resource: ["*"],
        },
        { Sid: "RegisterTasks", Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: targetGroupArns },
        { Sid: "ShiftTraffic", Effect: "Allow", Action: ["elasticloadbalancing:ModifyRule"], Resource: listenerRuleArns },
    ]);
}

/** What ECS needs to call a service's lifecycle hooks: invoke these functions, nothing else. */
export function invokeHooksPolicy(functionArns: string[]): PolicyDocument {
    return policyDocument([{ Sid: "InvokeHooks", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: functionArns }]);
}
