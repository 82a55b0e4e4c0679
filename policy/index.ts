/**
 * The policy pack's entry point, kept thin: `new PolicyPack` starts a gRPC server for the Pulumi
 * engine. The rules themselves live in analysis/controls, shared with the offline plan.
 *
 *     pulumi preview --policy-pack policy --policy-pack-config <(npm run --silent plan -- <stack> --policy-config)
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

new PolicyPack("fargate-service", {
    description: "Security Hub controls and reliability and cost rules for FargateService environments",
    enforcementLevel: "mandatory",
    policies: POLICIES,
});
