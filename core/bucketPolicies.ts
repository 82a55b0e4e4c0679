import { AccountContext } from "./iamDocuments";

interface BucketPolicyStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal: Record<string, string> | "*";
    Action: string[];
    Resource: string[];
    Condition?: Record<string, Record<string, string>>;
}

/**
 * Who may write access logs into the bucket: Elastic Load Balancing for this account's load
 * balancers only, under the configured prefix. Any request over plain HTTP is denied.
 */
export function accessLogsBucketPolicy(bucketArn: string, prefix: string, account: AccountContext, elbAccountArn: string) {
    const logs = `${bucketArn}/${prefix ? `${prefix}/` : ""}AWSLogs/${account.accountId}/*`;
    const statements: BucketPolicyStatement[] = [
        { Sid: "ElbAccountDelivers", Effect: "Allow", Principal: { AWS: elbAccountArn }, Action: ["s3:PutObject"], Resource: [logs] },
        {
            Sid: "ElbServiceDelivers",
            Effect: "Allow",
            Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
            Action: ["s3:PutObject"],
            Resource: [logs],
            Condition: { StringEquals: { "aws:SourceAccount": account.accountId } },
        },
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:*"],
            Resource: [bucketArn, `${bucketArn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
    ];
    return { Version: "2012-10-17", Statement: statements };
}
