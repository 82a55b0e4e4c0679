import { REPOSITORY_POLICY_MAX_LENGTH } from "../repositoryPolicy";
import { ResourceRule, jsonValue } from "./types";

/** ECR repository policies, ours and the program's own (repository names are core/names.ts's rule). */

const API = "https://docs.aws.amazon.com/AmazonECR/latest/APIReference";
const TF = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/ecr";

export const ECR_RULES: ResourceRule[] = [
    {
        id: "ecr.repositoryPolicy.policy",
        type: "aws:ecr/repositoryPolicy:RepositoryPolicy",
        title: `a JSON policy document of at most ${REPOSITORY_POLICY_MAX_LENGTH} characters as the provider sends it (compact JSON)`,
        sources: [`${API}/API_SetRepositoryPolicy.html`, `${TF}/repository_policy.go`],
        check(r) {
            if (typeof r.inputs.policy !== "string") return [];
            const document = jsonValue<unknown>(r.inputs.policy);
            if (typeof document !== "object" || document === null || Array.isArray(document)) return [{ key: "policy", message: "is not a JSON policy document (an object)" }];
            // The provider compacts the JSON before SetRepositoryPolicy (structure.NormalizeJsonString), so that is the length ECR sees.
            const size = JSON.stringify(document).length;
            return size > REPOSITORY_POLICY_MAX_LENGTH ? [{ key: "policy", message: `has ${size} characters as sent; ECR takes at most ${REPOSITORY_POLICY_MAX_LENGTH}` }] : [];
        },
    },
];
