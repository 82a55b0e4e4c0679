import * as pulumi from "@pulumi/pulumi";
import { Bucket } from "@pulumi/aws/s3/bucket";
import { BucketLifecycleConfiguration } from "@pulumi/aws/s3/bucketLifecycleConfiguration";
import { BucketOwnershipControls } from "@pulumi/aws/s3/bucketOwnershipControls";
import { BucketPolicy } from "@pulumi/aws/s3/bucketPolicy";
import { BucketPublicAccessBlock } from "@pulumi/aws/s3/bucketPublicAccessBlock";
import { accessLogsBucketPolicy } from "../core/bucketPolicies";
import { AccountContext } from "../core/iamDocuments";
import { awsName } from "../core/names";
import type { PolicyDocument } from "@pulumi/aws/iam/documents";

/** The access-log bucket of a load balancer and the settings that keep it private and bounded. */
export interface AccessLogsBucket {
    /** The bucket the load balancer writes its access logs to. */
    bucket: Bucket;
    /** Blocks every form of public access to the bucket. */
    publicAccessBlock: BucketPublicAccessBlock;
    /** Makes the bucket's owner own every object (ACLs disabled). */
    ownershipControls: BucketOwnershipControls;
    /** Expires the logs after the set number of days. */
    lifecycle: BucketLifecycleConfiguration;
    /** Lets Elastic Load Balancing's log delivery write the logs, and refuses any request without TLS. */
    policy: BucketPolicy;
}

export interface AccessLogsBucketArgs {
    prefix: string;
    expireAfterDays: number;
    protect: boolean;
    tags?: Record<string, string>;
}

/**
 * A private bucket the load balancer may write its access logs to (Security Hub ELB.5): no public
 * access, owner-enforced objects, TLS-only, logs expiring after a set time so storage stays bounded.
 */
export function createAccessLogsBucket(
    name: string,
    args: AccessLogsBucketArgs,
    account: pulumi.Output<AccountContext>,
    parent: pulumi.Resource,
): AccessLogsBucket {
    const stateful = { parent, protect: args.protect, retainOnDelete: args.protect };
    // An unprotected bucket is disposable: let destroy empty it, or it fails on the first log file.
    const bucket = new Bucket(awsName("s3Bucket", name), { forceDestroy: !args.protect, tags: args.tags }, stateful);
    const publicAccessBlock = new BucketPublicAccessBlock(
        name,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        { parent },
    );
    const ownershipControls = new BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent });
    const lifecycle = new BucketLifecycleConfiguration(
        name,
        {
            bucket: bucket.id,
            rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: args.expireAfterDays } }],
        },
        { parent },
    );
    // Who delivers depends on the Region; never ask aws.elb.getServiceAccount, which fails in Regions
    // newer than its table (core/aws/elbLogDelivery.ts).
    const policy = new BucketPolicy(
        name,
        {
            bucket: bucket.id,
            policy: pulumi
                .all([bucket.arn, account])
                .apply(([bucketArn, acct]) => JSON.stringify(accessLogsBucketPolicy(bucketArn, args.prefix, acct) satisfies PolicyDocument)),
        },
        { parent, dependsOn: [publicAccessBlock] },
    );
    return { bucket, publicAccessBlock, ownershipControls, lifecycle, policy };
}
