import * as pulumi from "@pulumi/pulumi";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicy } from "@pulumi/aws/iam/rolePolicy";
import { AccountContext, runTaskPolicy, serviceTrustPolicy } from "../core/iamDocuments";
import { awsName } from "../core/names";
import type { PolicyDocument } from "@pulumi/aws/iam/documents";

export interface RunTaskRole {
    role: Role;
    policy: RolePolicy;
}

/**
 * The role EventBridge (a rule or Scheduler) assumes to start a task: it may run this task
 * definition's family on this cluster, pass exactly the task's two roles, and send failed
 * invocations to the dead-letter queue. Nothing else.
 */
export function createRunTaskRole(
    name: string,
    principal: "scheduler.amazonaws.com" | "events.amazonaws.com",
    grants: {
        account: pulumi.Output<AccountContext>;
        taskDefinitionArn: pulumi.Input<string>;
        clusterArn: pulumi.Input<string>;
        passRoleArns: pulumi.Input<string>[];
        deadLetterQueueArn?: pulumi.Input<string>;
    },
    parent: pulumi.Resource,
    tags: Record<string, string> | undefined,
): RunTaskRole {
    const role = new Role(
        awsName("iamRole", name),
        {
            description: `Lets ${principal} start one task definition on one cluster`,
            assumeRolePolicy: grants.account.apply((a) => JSON.stringify(serviceTrustPolicy(principal, a) satisfies PolicyDocument)),
            tags,
        },
        { parent },
    );
    const policy = new RolePolicy(
        awsName("iamRolePolicy", name),
        {
            role: role.id,
            policy: pulumi
                .all([grants.taskDefinitionArn, grants.clusterArn, pulumi.all(grants.passRoleArns), grants.deadLetterQueueArn])
                .apply(([taskDefinition, cluster, passRoles, dlq]) => JSON.stringify(runTaskPolicy([taskDefinition], cluster, passRoles, dlq ? [dlq] : []) satisfies PolicyDocument)),
        },
        { parent },
    );
    return { role, policy };
}
