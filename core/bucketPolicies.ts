import { elbLogDeliveryPrincipals } from "./aws/elbLogDelivery";
import { AccountContext } from "./iamDocuments";

interface BucketPolicyStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal: { AWS: string } | { Service: string } | "*";
    Action: string[];
    Resource: string[];
    Condition?: Record<string, Record<string, string>>;
}

/**
 * Who may write access logs into the bucket: Elastic Load Balancing for this account's load
 * balancers only, under the configured prefix, through the principals of the account's Region
 * (see core/aws/elbLogDelivery.ts). Any request over plain HTTP is denied.
 */
export function accessLogsBucketPolicy(bucketArn: string, prefix: string, account: AccountContext) {
    const logs = `${bucketArn}/${prefix ? `${prefix}/` : ""}AWSLogs/${account.accountId}/*`;
    const delivery = elbLogDeliveryPrincipals(account.region, account.partition);
    const statements: BucketPolicyStatement[] = [
        ...(delivery.accountArn
            ? [{ Sid: "ElbAccountDelivers", Effect: "Allow" as const, Principal: { AWS: delivery.accountArn }, Action: ["s3:PutObject"], Resource: [logs] }]
            : []),
        {
            Sid: "ElbServiceDelivers",
            Effect: "Allow",
            Principal: { Service: delivery.service },
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
    return { Version: "2012-10-17" as const, Statement: statements };
}
