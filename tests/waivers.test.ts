import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { nonWaivableTable } from "../analysis/controlsDoc";
import { CONTROL_IDS, NON_WAIVABLE_IN_PROD } from "../analysis/controlIds";
import { planConfig } from "../plan/plan";
import { policyPackConfig } from "../stacks/policyPackConfig";
import { resolveEnvironment } from "../stacks/environment";
import { PRESETS } from "../stacks/presets";
import { cli } from "./cliHarness";
import { projectRoot, stackDirectory } from "./planFixtures";
import { README } from "./readmeBlocks";
import { generatedBlock } from "./readmeControls";

const today = "2026-11-23";
const waiver = (reason = "a reason long enough to say something real", expires = "2027-03-31") => ({ reason, expires, approvedBy: "platform-team" });
const prodBase = { preset: "prod", domain: { name: "app.example.com", zoneName: "example.com" }, services: { api: { image: { uri: "nginx:1" } } } };
const devBase = { preset: "dev", services: { api: { image: { uri: "nginx:1" } } } };

function problems(config: Record<string, unknown>, stack = "prod"): string {
    try {
        resolveEnvironment(config, { project: "fargate-service", stack, source: `Pulumi.${stack}.yaml`, today });
    } catch (error) {
        assert.equal((error as Error).name, "ValidationError", (error as Error).stack);
        return (error as Error).message;
    }
    return "";
}

describe("waivers", () => {
    it("refuses in prod a waiver of each non-waivable control, whatever its reason, expiry and approver", () => {
        for (const { id } of NON_WAIVABLE_IN_PROD) {
            assert.match(problems({ ...prodBase, waivers: { [id]: waiver() } }), new RegExp(`waivers\\.${id.replace(".", "\\.")}: cannot be waived in prod: `), id);
        }
    });

    it("accepts in dev a waiver of the controls prod locks", () => {
        for (const { id } of NON_WAIVABLE_IN_PROD) assert.equal(problems({ ...devBase, waivers: { [id]: waiver() } }, "dev"), "", id);
    });

    it("refuses a prod stack that waives all controls because it says so, naming each locked one", () => {
        const all = Object.fromEntries(CONTROL_IDS.map((id) => [id, waiver("because we said so, no reason")]));
        const message = problems({ ...prodBase, waivers: all });
        const refused = [...message.matchAll(/waivers\.([^:]+): cannot be waived/g)].map((m) => m[1]);
        assert.deepEqual(refused.sort(), NON_WAIVABLE_IN_PROD.map((c) => c.id).sort());
        // Written out here, so that shrinking the list in the code cannot pass unnoticed.
        assert.deepEqual(refused.sort(), ["EC2.19", "ECS.8", "ELB.1", "ELB.17", "ELB.6", "IAM.1", "stateful-protection"]);
        assert.deepEqual([...PRESETS.prod.nonWaivable].sort(), refused.sort(), "the prod preset locks exactly the documented list");
    });

    it("refuses the old one-line waiver, showing the form that replaces it", () => {
        assert.match(problems({ ...devBase, waivers: { "ECS.2": "a reason alone is not a waiver" } }, "dev"), /waivers\.ECS\.2: a waiver is \{ reason, expires, approvedBy \}, such as .*; got "a reason alone/);
    });

    it("needs a reason, an expiry date and an approver", () => {
        const message = problems({ ...devBase, waivers: { "ECS.2": { reason: "short" } } }, "dev");
        for (const fragment of ["waivers.ECS.2.reason: must say why in at least 20 characters", "waivers.ECS.2.expires: is required", "waivers.ECS.2.approvedBy: is required"]) {
            assert.ok(message.includes(fragment), `${fragment} in\n${message}`);
        }
        assert.match(problems({ ...devBase, waivers: { "ECS.2": waiver(undefined, "2027-02-30") } }, "dev"), /waivers\.ECS\.2\.expires: is not a date written YYYY-MM-DD/);
        assert.match(problems({ ...devBase, waivers: { "ECS.2": waiver(undefined, "next year") } }, "dev"), /waivers\.ECS\.2\.expires: is not a date/);
    });

    it("refuses a waiver that runs for more than a year", () => {
        assert.match(problems({ ...devBase, waivers: { "ECS.2": waiver(undefined, "2099-12-31") } }, "dev"), /waivers\.ECS\.2\.expires: 2099-12-31 is more than 366 days away \(latest 2027-11-24\)/);
        assert.equal(problems({ ...devBase, waivers: { "ECS.2": waiver(undefined, "2027-11-24") } }, "dev"), "");
    });

    describe("in the plan and the policy pack", function () {
        this.timeout(20000);
        const config = (expires: string) => ({
            "aws:region": "us-east-1",
            "fargate-service:preset": "prod",
            "fargate-service:domain": JSON.stringify(prodBase.domain),
            "fargate-service:services": JSON.stringify({ api: { image: { uri: "nginx:1" } } }),
            // A prod load balancer without access logs fails ELB.5, which prod may waive.
            "fargate-service:loadBalancer": JSON.stringify({ accessLogs: { enabled: false } }),
            "fargate-service:waivers": JSON.stringify({ "ELB.5": waiver("access logs go to the central SIEM through a firehose", expires) }),
        });
        const stackConfig = (expires: string) => ({ project: "fargate-service", stack: "prod", file: "Pulumi.prod.yaml", config: config(expires), secretKeys: [] });

        it("shows each waiver with its reason, its approver and its last day", async () => {
            const plan = await planConfig(stackConfig("2027-03-31"), { today });
            const elb5 = plan.controls.find((c) => c.id === "ELB.5")!;
            assert.deepEqual([elb5.status, elb5.waiverExpires, elb5.waiverApprovedBy, elb5.waiver], ["waived", "2027-03-31", "platform-team", "access logs go to the central SIEM through a firehose"]);
            const env = resolveEnvironment({ ...prodBase, loadBalancer: { accessLogs: { enabled: false } }, waivers: { "ELB.5": waiver(undefined, "2027-03-31") } }, { project: "fargate-service", stack: "prod", source: "x", today });
            const pack = policyPackConfig(env, today)["ELB.5"];
            assert.deepEqual([pack.enforcementLevel, pack.waiverExpires, pack.waiverApprovedBy], ["advisory", "2027-03-31", "platform-team"]);
        });

        it("fails the control again once the waiver has expired, in the plan and in the pack", async () => {
            const plan = await planConfig(stackConfig("2026-11-22"), { today });
            const elb5 = plan.controls.find((c) => c.id === "ELB.5")!;
            assert.deepEqual([elb5.status, elb5.expiredWaiver, elb5.waiverExpires], ["fail", true, "2026-11-22"]);
            const env = resolveEnvironment({ ...prodBase, loadBalancer: { accessLogs: { enabled: false } }, waivers: { "ELB.5": waiver(undefined, "2026-11-22") } }, { project: "fargate-service", stack: "prod", source: "x", today });
            assert.deepEqual(policyPackConfig(env, today)["ELB.5"], { enforcementLevel: "mandatory" });
            assert.equal(policyPackConfig(env, "2026-11-22")["ELB.5"].enforcementLevel, "advisory", "the last day still counts");
        });
    });

    it("prints each waiver of the dev stack file with its last day and approver in the text report", async function () {
        this.timeout(20000);
        const run = await cli("dev", "--dir", projectRoot);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /waived until \d{4}-\d{2}-\d{2}, approved by platform-team: No NAT gateway in dev/);
    });

    it("makes plan --strict refuse a prod stack file that waives everything (exit 1, not 0)", async () => {
        const lines = CONTROL_IDS.flatMap((id) => [`  ${id}:`, '    reason: "because we said so, no reason"', "    expires: 2027-01-31", "    approvedBy: me"]);
        const dir = stackDirectory("prod", ["fargate-service:preset: prod", "fargate-service:domain:", "  name: app.example.com", "  zoneName: example.com", "fargate-service:services:", "  web:", "    image:", "      uri: nginx:1", "fargate-service:waivers:", ...lines].join("\n"));
        const run = await cli("prod", "--dir", dir, "--strict");
        assert.equal(run.code, 1, run.stderr);
        assert.match(run.stderr, /fargate-service:waivers\.ELB\.1: cannot be waived in prod/);
    });
});

describe("README", () => {
    it("lists exactly the controls prod never waives, as generated from the list", () => {
        const text = fs.readFileSync(README, "utf8");
        assert.equal(generatedBlock(text, "non-waivable"), nonWaivableTable(), "run `npm run readme:controls`");
        for (const { id } of NON_WAIVABLE_IN_PROD) assert.ok(text.includes(`| \`${id}\` |`), id);
    });
});
