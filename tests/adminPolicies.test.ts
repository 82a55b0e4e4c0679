import * as assert from "node:assert/strict";
import { CONTROLS, runControl } from "../analysis/controls";
import { StackGraph, StackResource, T } from "../analysis/stackResources";
import { ADMIN_MANAGED_POLICIES, adminManagedPolicy } from "../core/adminPolicies";
import { planConfig } from "../plan/plan";
import { resolveEnvironment } from "../stacks/environment";

const iam1 = CONTROLS.find((c) => c.id === "IAM.1")!;
const judge = (type: string, inputs: Record<string, unknown>) =>
    runControl(iam1, new StackGraph([{ urn: `urn:${type}::r`, type, name: "r", custom: true, inputs, propertyDependencies: {}, dependencies: [], options: {} } as StackResource]), { requireOnDemandBase: false })?.map((f) => f.reason);

describe("administrator IAM policies", () => {
    for (const name of ADMIN_MANAGED_POLICIES) {
        it(`fails IAM.1 on a role policy attachment of ${name}`, () => {
            assert.deepEqual(judge(T.rolePolicyAttachment, { role: "r", policyArn: `arn:aws:iam::aws:policy/${name}` }), [`attaches the AWS managed policy ${name}, which grants administrator access`]);
        });
    }

    it("fails IAM.1 on a role's managedPolicyArns and on a policy attachment", () => {
        assert.equal(judge(T.role, { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] })?.length, 1);
        assert.equal(judge(T.policyAttachment, { policyArn: "arn:aws-us-gov:iam::aws:policy/PowerUserAccess" })?.length, 1);
    });

    it('fails IAM.1 on Action "*:*" as on "*", with Resource "*"', () => {
        const policy = JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*:*", Resource: "*" }] });
        assert.deepEqual(judge(T.policy, { policy }), ['allows Action "*:*" on Resource "*"']);
    });

    it("passes narrow managed policies, and customer policies whose name only looks alike", () => {
        assert.deepEqual(judge(T.rolePolicyAttachment, { policyArn: "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess" }), []);
        assert.equal(adminManagedPolicy("arn:aws:iam::123456789012:policy/AdministratorAccess"), undefined, "a customer policy is judged by its document");
        assert.equal(adminManagedPolicy("arn:aws:iam::aws:policy/AdministratorAccess-Amplify"), undefined);
    });

    it("refuses them in a prod stack's task role, naming the key", () => {
        const arns = ADMIN_MANAGED_POLICIES.map((n) => `arn:aws:iam::aws:policy/${n}`);
        let message = "";
        try {
            resolveEnvironment(
                { preset: "prod", domain: { name: "app.example.com", zoneName: "example.com" }, services: { api: { image: { uri: "nginx:1" }, taskRole: { managedPolicyArns: arns } } } },
                { project: "fargate-service", stack: "prod", source: "Pulumi.prod.yaml" },
            );
        } catch (error) {
            message = (error as Error).message;
        }
        ADMIN_MANAGED_POLICIES.forEach((name, i) => {
            assert.ok(message.includes(`fargate-service:services.api.taskRole.managedPolicyArns[${i}]: ${name} grants administrator access (Security Hub IAM.1), refused in prod`), message);
        });
    });

    it("flags them in dev: IAM.1 fails, advisory, on the attachment", async function () {
        this.timeout(20000);
        const plan = await planConfig({
            project: "fargate-service",
            stack: "dev",
            file: "Pulumi.dev.yaml",
            config: {
                "fargate-service:preset": "dev",
                "fargate-service:services": JSON.stringify({ api: { image: { uri: "nginx:1" }, taskRole: { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] } } }),
            },
            secretKeys: [],
        });
        const control = plan.controls.find((c) => c.id === "IAM.1")!;
        assert.deepEqual([plan.enforcement, control.status], ["advisory", "fail"]);
        assert.match(control.reason!, /attaches the AWS managed policy AdministratorAccess/);
    });
});
