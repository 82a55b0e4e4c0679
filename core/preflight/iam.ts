import { MANAGED_POLICY_ARN } from "../arns";
import { ResourceRule, RuleViolation, jsonValue, rangeViolation, textViolation } from "./types";

/** IAM: roles, their inline policies and attached managed policies. */

const API = "https://docs.aws.amazon.com/IAM/latest/APIReference";
const TF = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/iam";
/** Inline policies of one role: 10,240 characters in total, whitespace not counted. */
export const ROLE_POLICY_CHARACTERS = 10240;

export const IAM_RULES: ResourceRule[] = [
    {
        id: "iam.role.settings",
        type: "aws:iam/role:Role",
        title: "description of at most 1000 characters (tab, line breaks, printable Latin-1); path /…/ of at most 512; session of 3600–43200 s",
        sources: [`${API}/API_CreateRole.html`, `${TF}/role.go`],
        check(r) {
            const out = [
                ...textViolation(r.inputs, "description", 1000, /[\t\n\r\x20-\x7e\xa1-\xff]/, "tab, line breaks and printable Latin-1 characters"),
                ...rangeViolation(r.inputs, "maxSessionDuration", 3600, 43200, " s"),
            ];
            const path = r.inputs.path;
            if (typeof path === "string" && !/^\/([\x21-\x7e]{0,510}\/)?$/.test(path)) out.push({ key: "path", message: `${JSON.stringify(path)} must start and end with "/" (at most 512 characters)` });
            return out;
        },
    },
    {
        id: "iam.role.trustPolicy",
        type: "aws:iam/role:Role",
        title: "a trust policy that is a JSON policy document with Version 2012-10-17 and at least one statement",
        sources: [`${API}/API_CreateRole.html`, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html"],
        check: (r) => documentViolations(r.inputs.assumeRolePolicy, "assumeRolePolicy"),
    },
    {
        id: "iam.rolePolicy.document",
        type: "aws:iam/rolePolicy:RolePolicy",
        title: `a JSON policy document with Version 2012-10-17 and at least one statement, within the ${ROLE_POLICY_CHARACTERS} characters a role's inline policies may have`,
        sources: [`${API}/API_PutRolePolicy.html`, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"],
        check(r) {
            const out = documentViolations(r.inputs.policy, "policy");
            if (typeof r.inputs.policy === "string") {
                const size = r.inputs.policy.replace(/\s/g, "").length;
                if (size > ROLE_POLICY_CHARACTERS) out.push({ key: "policy", message: `has ${size} characters without whitespace; a role's inline policies may have ${ROLE_POLICY_CHARACTERS} in total` });
            }
            return out;
        },
    },
    {
        id: "iam.rolePolicyAttachment.policyArn",
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        title: "the ARN of a managed policy (arn:<partition>:iam::aws|<account>:policy/<path><name>)",
        sources: [`${API}/API_AttachRolePolicy.html`, `${TF}/role_policy_attachment.go`],
        check(r) {
            const arn = r.inputs.policyArn;
            return typeof arn === "string" && !MANAGED_POLICY_ARN.test(arn)
                ? [{ key: "policyArn", message: `${JSON.stringify(arn)} is not the ARN of a managed policy` }]
                : [];
        },
    },
];

function documentViolations(value: unknown, key: string): RuleViolation[] {
    if (value === undefined) return [];
    const doc = jsonValue<{ Version?: string; Statement?: unknown }>(value);
    if (!doc || typeof doc !== "object") return [{ key, message: "is not a JSON policy document" }];
    const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    const out: RuleViolation[] = [];
    if (doc.Version !== "2012-10-17") out.push({ key: `${key}.Version`, message: `${JSON.stringify(doc.Version)} must be "2012-10-17" (the older version disables policy variables)` });
    if (statements.length === 0) out.push({ key: `${key}.Statement`, message: "is empty: IAM refuses a policy without statements" });
    return out;
}
