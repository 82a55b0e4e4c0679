import * as assert from "node:assert/strict";
import type { PlanDocument } from "../plan/plan";
import { projectRoot } from "./planFixtures";

/**
 * Fields that another AWS actor changes after a deploy (scheduled actions, the autoscaler) come
 * back on `pulumi refresh`; unless Pulumi leaves them alone, the next `pulumi up` puts them back.
 */
describe("fields AWS owns after a deploy", () => {
    let dev: PlanDocument;
    let prod: PlanDocument;
    before(async () => {
        const { planStack } = await import("../plan/plan");
        [dev, prod] = [await planStack(projectRoot, "dev"), await planStack(projectRoot, "prod")];
    });

    const of = (plan: PlanDocument, type: string, name: string) => {
        const found = plan.resources.find((r) => r.type === type && r.name === name);
        assert.ok(found, `${type} ${name}`);
        return found;
    };

    it("leaves the scaling range of a service with scheduled actions to its schedules", () => {
        assert.ok(dev.resources.some((r) => r.type === "aws:appautoscaling/scheduledAction:ScheduledAction"), "dev's API has schedules");
        assert.deepEqual(of(dev, "aws:appautoscaling/target:Target", "dev-api").ignoreChanges, ["minCapacity", "maxCapacity"]);
    });

    it("keeps the scaling range of a service without schedules under Pulumi", () => {
        for (const [plan, name] of [[dev, "dev-worker"], [dev, "dev-jobs"], [prod, "prod-api"], [prod, "prod-worker"]] as const) {
            assert.equal(of(plan, "aws:appautoscaling/target:Target", name).ignoreChanges, undefined, name);
        }
    });

    it("leaves the running count of every autoscaled service to the autoscaler", () => {
        for (const plan of [dev, prod]) {
            const services = plan.resources.filter((r) => r.type === "aws:ecs/service:Service");
            assert.ok(services.length >= 3);
            for (const service of services) {
                const scaled = plan.resources.some((t) => t.type === "aws:appautoscaling/target:Target" && t.name === service.name);
                assert.deepEqual(service.ignoreChanges, scaled ? ["desiredCount"] : undefined, service.name);
            }
        }
    });
});
