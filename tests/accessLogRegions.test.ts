import * as assert from "node:assert/strict";
import { ELB_ACCOUNT_BY_REGION, ELB_LOG_DELIVERY_SERVICE } from "../core/aws/elbLogDelivery";
import { accessLogsBucketPolicy } from "../core/bucketPolicies";
import { stackDirectory } from "./planFixtures";

/** Regions opened in or after August 2022, which have no ELB log delivery account, and one AWS has not opened yet. */
const NEWER_REGIONS = ["me-central-1", "eu-central-2", "eu-south-2", "ap-south-2", "ap-southeast-4", "il-central-1", "ca-west-1", "mx-central-1", "xx-future-9"];
const BUCKET = "arn:aws:s3:::logs-bucket";

const statements = (region: string, partition = "aws") =>
    accessLogsBucketPolicy(BUCKET, "prod", { accountId: "111122223333", region, partition }).Statement;

const accessLogStack = (region: string) => `aws:region: ${region}
fargate-service:preset: dev
fargate-service:loadBalancer:
  accessLogs: { enabled: true }
fargate-service:services:
  web:
    image: { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" }`;

describe("load balancer access logs in every Region", () => {
    it("lets the regional ELB account deliver in a Region of the provider's table", () => {
        const byAccount = statements("us-east-1").find((s) => s.Sid === "ElbAccountDelivers");
        assert.deepEqual(byAccount?.Principal, { AWS: "arn:aws:iam::127311923021:root" });
        assert.deepEqual(statements("eu-west-1").find((s) => s.Sid === "ElbAccountDelivers")?.Principal, { AWS: "arn:aws:iam::156460612806:root" });
        assert.deepEqual(statements("cn-north-1", "aws-cn").find((s) => s.Sid === "ElbAccountDelivers")?.Principal, { AWS: "arn:aws-cn:iam::638102146993:root" });
    });

    for (const region of NEWER_REGIONS) {
        it(`lets only the log delivery service principal deliver in ${region}`, () => {
            const allows = statements(region).filter((s) => s.Effect === "Allow");
            assert.deepEqual(allows.map((s) => s.Principal), [{ Service: ELB_LOG_DELIVERY_SERVICE }]);
            assert.deepEqual(allows[0].Condition, { StringEquals: { "aws:SourceAccount": "111122223333" } }, "only for this account's load balancers");
            assert.deepEqual(allows[0].Resource, [`${BUCKET}/prod/AWSLogs/111122223333/*`]);
        });
    }

    it("holds no Region opened in or after August 2022 in the ELB account table", () => {
        for (const region of NEWER_REGIONS) assert.equal(ELB_ACCOUNT_BY_REGION[region], undefined, region);
        for (const account of Object.values(ELB_ACCOUNT_BY_REGION)) assert.match(account, /^\d{12}$/);
    });

    it("answers getServiceAccount offline as the provider does: an error outside its table", async () => {
        const { runProgram } = await import("../plan/engine");
        const { getServiceAccountOutput } = await import("@pulumi/aws/elb/getServiceAccount");
        const ask = (region: string) =>
            runProgram(() => ({ arn: getServiceAccountOutput({}).arn }), { project: "proj", stack: "test", config: { "aws:region": region } });
        assert.equal((await ask("us-east-1")).outputs.arn, "arn:aws:iam::127311923021:root");
        await assert.rejects(ask("me-central-1"), "a program that asks in me-central-1 fails, as a real deploy would");
        const { invokeResult } = await import("../plan/placeholders");
        const ctx = { region: "me-central-1", accountId: "123456789012", availabilityZones: ["me-central-1a"] };
        assert.throws(() => invokeResult("aws:elb/getServiceAccount:getServiceAccount", {}, ctx), /unsupported AWS Region: me-central-1/);
    });

    for (const region of ["us-east-1", "eu-west-1", "me-central-1", "ap-southeast-4", "il-central-1", "xx-future-9"]) {
        it(`plans access logs in ${region} with the principals of that Region`, async () => {
            const { planStack } = await import("../plan/plan");
            const plan = await planStack(stackDirectory("logs", accessLogStack(region)), "logs");
            const policy = plan.resources.find((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy");
            assert.ok(policy, "an access-log bucket policy");
            const principals = JSON.parse(policy.inputs.policy as string).Statement.filter((s: { Effect: string }) => s.Effect === "Allow").map((s: { Principal: unknown }) => s.Principal);
            const account = ELB_ACCOUNT_BY_REGION[region];
            assert.deepEqual(principals, [...(account ? [{ AWS: `arn:aws:iam::${account}:root` }] : []), { Service: ELB_LOG_DELIVERY_SERVICE }]);
        });
    }
});
