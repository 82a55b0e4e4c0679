import * as pulumi from "@pulumi/pulumi";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { AccountContext } from "../core/iamDocuments";

/**
 * The account, region and partition that resources are created in, for ARNs and trust conditions.
 * Read through the parent's provider, so a component deployed with an explicit provider gets that
 * provider's account and region.
 */
export function accountContext(parent: pulumi.Resource): pulumi.Output<AccountContext> {
    const identity = getCallerIdentityOutput({}, { parent });
    const region = getRegionOutput({}, { parent });
    return pulumi.all([identity, region]).apply(([id, reg]) => ({
        accountId: id.accountId,
        partition: id.arn.split(":")[1] ?? "aws",
        region: reg.region,
    }));
}
