import * as assert from "node:assert/strict";
import { StackGraph, T } from "../analysis/stackResources";
import { graphResource } from "./helpers";

/** The graph every analysis reads: the component tree and which resources each input came from. */

describe("stack graph", () => {
    const cluster = graphResource(T.cluster);
    const component = graphResource("fargate-service:index:FargateService", {}, { custom: false });
    const role = graphResource(T.role, {}, { parent: component });
    const taskDefinition = graphResource(T.taskDefinition, {}, { parent: component, props: { executionRoleArn: [role] } });
    const service = graphResource(T.service, {}, { parent: component, props: { cluster: [cluster], taskDefinition: [taskDefinition], loadBalancers: [] } });
    const graph = new StackGraph([cluster, component, role, taskDefinition, service]);

    it("lists exactly the children of a component, and none for a resource without children", () => {
        assert.deepEqual(graph.children(component), [role, taskDefinition, service]);
        assert.deepEqual(graph.children(cluster), []);
        assert.deepEqual(graph.children(service), []);
    });

    it("follows an input to the resources it came from, of any type or of the types asked", () => {
        assert.deepEqual(graph.referencedBy(service, "cluster"), [cluster]);
        assert.deepEqual(graph.referencedBy(service, "cluster", T.cluster), [cluster]);
        assert.deepEqual(graph.referencedBy(service, "cluster", T.taskDefinition), []);
        assert.deepEqual(graph.referencedBy(service, "capacityProviderStrategies"), []);
    });

    it("skips a URN an input names that is not in the graph (a resource of another stack)", () => {
        const elsewhere = graphResource(T.service, {}, {}, { propertyDependencies: { cluster: ["urn:pulumi:other::proj::aws:ecs/cluster:Cluster::shared"] } });
        assert.deepEqual(new StackGraph([elsewhere]).referencedBy(elsewhere, "cluster"), []);
    });

    it("finds the resources whose input came from a resource, of any type or of the types asked", () => {
        assert.deepEqual(graph.referencing(cluster, "cluster"), [service]);
        assert.deepEqual(graph.referencing(cluster, "cluster", T.service), [service]);
        assert.deepEqual(graph.referencing(cluster, "cluster", T.taskDefinition), []);
        assert.deepEqual(graph.referencing(role, "executionRoleArn"), [taskDefinition]);
    });
});
