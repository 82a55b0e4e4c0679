import { READ_ONLY_ACTIONS, principalAccounts } from "../../core/repositoryPolicy";
import { asList } from "../readers";
import { T, jsonInput } from "../stackResources";
import type { ResourceControl } from "./types";

/**
 * What another account may do with a repository of ours: pull and look up tags, nothing more.
 * A repository policy is for other accounts (this account's principals act through their IAM
 * policies), so every principal it allows is held to read-only actions, and `*` (public, or every
 * AWS account) is never one of them. ECR's own guidance on repository policies:
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html. Security Hub
 * has no ECR control for this; IAM Access Analyzer reports such grants only after they exist.
 */
interface RepositoryStatement {
    Sid?: string;
    Effect?: string;
    Principal?: unknown;
    NotPrincipal?: unknown;
    Action?: unknown;
    NotAction?: unknown;
}

function statementProblems(statement: RepositoryStatement, index: number): string[] {
    if (statement.Effect !== "Allow") return [];
    const name = statement.Sid ? `statement ${statement.Sid}` : `statement ${index + 1}`;
    if (statement.NotPrincipal !== undefined) return [`${name} allows everyone but its NotPrincipal: name the accounts that may pull instead`];
    if (statement.NotAction !== undefined) return [`${name} allows every action but its NotAction: list the pull actions instead`];
    const problems: string[] = [];
    const accounts = principalAccounts(statement.Principal);
    if (statement.Principal === "*" || accounts.includes("*")) problems.push(`${name} allows the principal "*": anyone could pull (or act on) the repository`);
    const beyond = asList(statement.Action).filter((action) => !READ_ONLY_ACTIONS.includes(String(action)));
    if (beyond.length > 0) problems.push(`${name} allows ${beyond.join(", ")} to ${accounts.join(", ") || "its principals"}: other accounts may only pull (${READ_ONLY_ACTIONS.join(", ")})`);
    return problems;
}

export const ecrPullOnly: ResourceControl = {
    id: "ecr-pull-only",
    title: 'ECR repository policies let named accounts pull only: no "*" principal, no push or delete',
    kind: "resource",
    resourceTypes: [T.repositoryPolicy],
    check: (_, inputs) => {
        const document = jsonInput<{ Statement?: RepositoryStatement | RepositoryStatement[] }>(inputs.policy);
        if (document === undefined) return undefined;
        const statements = Array.isArray(document.Statement) ? document.Statement : document.Statement ? [document.Statement] : [];
        return statements.flatMap(statementProblems);
    },
};
