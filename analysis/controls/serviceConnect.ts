import { taskDefinitionOf } from "../readers";
import { StackGraph, StackResource, T, jsonInput } from "../stackResources";
import type { StackControl, StackFinding } from "./types";

/**
 * Service Connect's proxies connect task to task, on the callee's container port: the callee's
 * task security group is the only gate. Each caller is admitted by its own security group, so a
 * rule open to an address range (a VPC's CIDR, 0.0.0.0/0) on that port lets any workload there call.
 */

/** The services a stack publishes through Service Connect, with the port their callers reach. */
function servers(graph: StackGraph): { service: StackResource; port: number }[] {
    return graph.ofType(T.service).flatMap((service) => {
        const published = (service.inputs.serviceConnectConfiguration?.services as { portName?: string }[] | undefined) ?? [];
        const definitions = jsonInput<{ portMappings?: { name?: string; containerPort?: number }[] }[]>(taskDefinitionOf(graph, service)?.inputs.containerDefinitions) ?? [];
        return published.flatMap((p) => {
            const port = definitions.flatMap((d) => d.portMappings ?? []).find((m) => m.name === p.portName)?.containerPort;
            return port === undefined ? [] : [{ service, port }];
        });
    });
}

const covers = (rule: Record<string, any>, port: number) => rule.ipProtocol === "-1" || (Number(rule.fromPort) <= port && port <= Number(rule.toPort));

export const serviceConnectCallers: StackControl = {
    id: "service-connect-callers",
    title: "Services called through Service Connect admit their callers by security group only, never an address range",
    kind: "stack",
    check: (graph) => {
        const published = servers(graph);
        if (published.length === 0) return undefined;
        const findings: StackFinding[] = [];
        for (const { service, port } of published) {
            for (const group of graph.referencedBy(service, "networkConfiguration", T.securityGroup)) {
                const rules: { resource: StackResource; inputs: Record<string, any> }[] = [
                    ...graph.referencing(group, "securityGroupId", T.ingressRule).map((r) => ({ resource: r, inputs: r.inputs })),
                    ...graph.referencing(group, "securityGroupId", T.securityGroupRule).filter((r) => r.inputs.type === "ingress").map((r) => ({ resource: r, inputs: { ...r.inputs, ipProtocol: r.inputs.protocol } })),
                    ...((group.inputs.ingress as Record<string, any>[] | undefined) ?? []).map((inputs) => ({ resource: group, inputs: { ...inputs, ipProtocol: inputs.protocol } })),
                ];
                for (const { resource, inputs } of rules) {
                    const ranges = [inputs.cidrIpv4, inputs.cidrIpv6, inputs.prefixListId, ...(inputs.cidrBlocks ?? []), ...(inputs.ipv6CidrBlocks ?? [])].filter((c) => typeof c === "string");
                    if (ranges.length > 0 && covers(inputs, port)) {
                        findings.push({ resource, reason: `admits ${ranges.join(", ")} to the Service Connect port ${port} of ${service.name}: admit the callers' security groups instead` });
                    }
                }
            }
        }
        return findings;
    },
};

export const SERVICE_CONNECT: StackControl[] = [serviceConnectCallers];
