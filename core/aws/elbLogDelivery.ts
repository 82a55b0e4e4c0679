/**
 * Who writes Application Load Balancer access logs into S3, by Region.
 *
 * AWS's guide gives two bucket policies (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html):
 * Regions available before August 2022 deliver from a regional Elastic Load Balancing account;
 * Regions available as of August 2022 or later deliver through the service principal
 * `logdelivery.elasticloadbalancing.amazonaws.com`, and have no such account.
 *
 * `aws.elb.getServiceAccount` answers from a fixed table in the Terraform provider and fails with
 * "unsupported AWS Region" for every other Region (me-central-1, eu-central-2, eu-south-2,
 * ap-south-2, ap-southeast-4, il-central-1, ca-west-1, mx-central-1 and any later one). So the table
 * lives here, and a Region missing from it gets the service principal alone: a Region AWS opens
 * from now on is a post-August-2022 Region.
 *
 * Followed: the guide's two policies, not "the service principal everywhere": the guide does not
 * say the service principal is honoured in the older Regions, so there the account keeps its
 * grant. The service-principal statement is also written there (scoped to this account by
 * `aws:SourceAccount`), so a bucket keeps working if AWS moves an older Region to it.
 */

export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/**
 * Region → the Elastic Load Balancing account that delivers access logs there.
 * Source: hashicorp/terraform-provider-aws, internal/service/elb/service_account_data_source.go
 * (`accountIDPerRegionMap`, commit 01f431114674c27cf790fafb67ac274bf8f765e1), which agrees with the
 * "Regions available before August 2022" list of the guide above. Read 2026-11-23.
 */
export const ELB_ACCOUNT_BY_REGION: Readonly<Record<string, string>> = {
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-south-1": "718504428378",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
    "eu-central-1": "054676820928",
    "eu-north-1": "897822967062",
    "eu-south-1": "635631232127",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-gov-east-1": "190560391635",
    "us-gov-west-1": "048591011584",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
};

export interface LogDeliveryPrincipals {
    /** The regional ELB account's root ARN, in Regions that have one. */
    accountArn?: string;
    /** The log delivery service principal, in every Region. */
    service: typeof ELB_LOG_DELIVERY_SERVICE;
}

/** The principals that deliver access logs in `region` of `partition` (aws, aws-cn, aws-us-gov). */
export function elbLogDeliveryPrincipals(region: string, partition: string): LogDeliveryPrincipals {
    const account = ELB_ACCOUNT_BY_REGION[region];
    return { ...(account ? { accountArn: `arn:${partition}:iam::${account}:root` } : {}), service: ELB_LOG_DELIVERY_SERVICE };
}
