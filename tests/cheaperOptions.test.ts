import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PlanDocument } from "../plan/plan";
import { projectRoot, stackDirectory } from "./planFixtures";

/** The plan's cheaper options: each a setting, its monthly saving from the same prices, and what it gives up. */

let planStack: typeof import("../plan/plan").planStack;
before(async () => {
    ({ planStack } = await import("../plan/plan"));
});

const prodFile = () => fs.readFileSync(path.join(projectRoot, "Pulumi.prod.yaml"), "utf8").replace(/^[\s\S]*?^config:\n/m, "").replace(/^  /gm, "");
const option = (plan: PlanDocument, start: string) => plan.cheaperOptions.find((o) => o.option.startsWith(start));

describe("cheaper options", () => {
    let prod: PlanDocument;
    let dev: PlanDocument;
    before(async () => {
        [prod, dev] = await Promise.all([planStack(projectRoot, "prod"), planStack(projectRoot, "dev")]);
    });

    it("lists each option once, largest saving first, every one above 50 cents with what it gives up", () => {
        for (const plan of [prod, dev]) {
            const savings = plan.cheaperOptions.map((o) => o.monthlyUsd);
            assert.deepEqual(savings, [...savings].sort((x, y) => y - x));
            for (const o of plan.cheaperOptions) {
                assert.ok(o.monthlyUsd >= 0.5 && o.setting.length > 0 && o.givesUp.what.length > 0, JSON.stringify(o));
                assert.ok(["availability", "reachability", "capability", "isolation", "nothing"].includes(o.givesUp.kind));
            }
        }
    });

    it("saves what it says: prod with one NAT gateway instead of three costs that much less", async () => {
        const single = option(prod, "One NAT gateway instead of 3");
        assert.ok(single, prod.cheaperOptions.map((o) => o.option).join("; "));
        assert.equal(single.givesUp.kind, "availability");
        const cheaper = await planStack(stackDirectory("prod", `${prodFile()}\nfargate-service:network:\n  natGateways: single`), "prod");
        assert.ok(Math.abs(prod.cost.monthlyUsd - cheaper.cost.monthlyUsd - single.monthlyUsd) < 0.05, `${prod.cost.monthlyUsd} - ${cheaper.cost.monthlyUsd} vs ${single.monthlyUsd}`);
    });

    it("saves what it says: prod with every task above the on-demand base on Spot", async () => {
        const spot = option(prod, "Fargate Spot for every task above the on-demand base");
        assert.ok(spot);
        const cheaper = await planStack(stackDirectory("prod", `${prodFile()}\nfargate-service:cluster:\n  capacity:\n    fargateWeight: 0\n    spotWeight: 1`), "prod");
        assert.ok(Math.abs(prod.cost.monthlyUsd - cheaper.cost.monthlyUsd - spot.monthlyUsd) < 0.05, `${prod.cost.monthlyUsd} - ${cheaper.cost.monthlyUsd} vs ${spot.monthlyUsd}`);
    });

    it("offers dev a shared load balancer, worth its hours, capacity units and addresses", () => {
        const shared = option(dev, "Share one load balancer");
        assert.ok(shared);
        const lb = dev.cost.lines.filter((l) => l.priceKey === "alb.hour" || l.priceKey === "alb.lcuHour").reduce((n, l) => n + l.monthlyUsd, 0);
        assert.ok(Math.abs(shared.monthlyUsd - (lb + 2 * 730 * 0.005)) < 0.01);
        assert.equal(shared.givesUp.kind, "isolation");
        assert.equal(option(prod, "Share one load balancer"), undefined, "prod keeps its own");
    });

    it("prices NAT gateways against interface endpoints for prod's private tasks", () => {
        assert.ok(prod.egress);
        // 3 NAT gateways and their addresses, 100 GB; or 4 endpoints (ecr.api, ecr.dkr, logs, sqs) in 3 zones and 100 GB.
        assert.equal(prod.egress.natUsd, Math.round((3 * 730 * (0.045 + 0.005) + 100 * 0.045) * 100) / 100);
        assert.deepEqual(prod.egress.endpoints, ["ecr.api", "ecr.dkr", "logs", "sqs"]);
        assert.equal(prod.egress.endpointsUsd, Math.round((4 * 3 * 730 * 0.01 + 100 * 0.01) * 100) / 100);
        assert.equal(prod.egress.chosen, "nat");
    });
});
