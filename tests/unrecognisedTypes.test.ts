import * as assert from "node:assert/strict";
import { coverageOf } from "../analysis/costCoverage";
import { unrecognisedTypes } from "../analysis/coverage";
import { StackGraph, StackResource, T } from "../analysis/stackResources";
import { graphResource } from "./helpers";

/** What the plan says the analyses do not know, and how the estimate accounts for each type. */

describe("types the analyses do not know", () => {
    it("lists unknown cloud resources and remote components, sorted by type, and no component or Pulumi resource", () => {
        // A component another plugin implements: offline it stands for the resources it creates.
        const remote: StackResource & { remote: boolean } = { ...graphResource("awsx:lb:ApplicationLoadBalancer", {}, { custom: false }, { name: "alb" }), remote: true };
        const graph = new StackGraph([
            graphResource("aws:dynamodb/table:Table", {}, {}, { name: "sessions" }),
            graphResource("aws:cloudfront/distribution:Distribution", {}, {}, { name: "cdn" }),
            remote,
            graphResource("my:index:Component", {}, { custom: false }, { name: "local" }),
            graphResource("pulumi:providers:aws", {}, {}, { name: "provider" }),
            graphResource(T.service, {}, {}, { name: "api" }),
        ]);
        assert.deepEqual(unrecognisedTypes(graph), [
            { type: "aws:cloudfront/distribution:Distribution", resources: ["cdn"], notPriced: true, defaultDeployTime: true },
            { type: "aws:dynamodb/table:Table", resources: ["sessions"], notPriced: true, defaultDeployTime: true },
            { type: "awsx:lb:ApplicationLoadBalancer", resources: ["alb"], notPriced: true, defaultDeployTime: true },
        ]);
    });

    it("lists a type the estimate accounts for but the deploy model times only at its default", () => {
        const graph = new StackGraph([graphResource("aws:s3/bucketPolicy:BucketPolicy", {}, {}, { name: "logs-policy" })]);
        assert.deepEqual(unrecognisedTypes(graph), [{ type: "aws:s3/bucketPolicy:BucketPolicy", resources: ["logs-policy"], notPriced: false, defaultDeployTime: true }]);
    });
});

describe("how the estimate accounts for a type", () => {
    it("says why a free type is free, and that a component or Pulumi resource is no cloud resource", () => {
        assert.deepEqual(coverageOf(T.role), { kind: "free", reason: "IAM is free (https://aws.amazon.com/iam/faqs/)" });
        const component = { kind: "free", reason: "a component groups resources; it is not a cloud resource" };
        assert.deepEqual(coverageOf("pulumi:providers:aws"), component);
        assert.deepEqual(coverageOf("aws:dynamodb/table:Table"), { kind: "notPriced", reason: "the estimate has no price model for this resource type" });
    });
});
