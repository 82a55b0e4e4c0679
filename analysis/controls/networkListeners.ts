import { NETWORK_TLS_CONTROL } from "../controlIds";
import { T } from "../stackResources";
import type { StackControl, StackFinding } from "./types";

/**
 * The Network Load Balancer's counterpart of ELB.1 (which judges HTTP listeners only): a listener
 * the internet reaches terminates TLS at the load balancer. A TCP listener passes bytes as they come;
 * when the service speaks TLS itself (a broker's AMQPS, a database's TLS), the stack waives this
 * control with that reason. Internal load balancers are left to the network they live in.
 */
export const networkListenerTls: StackControl = {
    id: NETWORK_TLS_CONTROL,
    title: "Internet-facing Network Load Balancer listeners terminate TLS",
    kind: "stack",
    check: (graph) => {
        const facing = graph.ofType(T.loadBalancer).filter((lb) => lb.inputs.loadBalancerType === "network" && lb.inputs.internal !== true);
        if (facing.length === 0) return undefined;
        const findings: StackFinding[] = [];
        for (const lb of facing) {
            for (const listener of graph.referencing(lb, "loadBalancerArn", T.listener)) {
                if (listener.inputs.protocol !== "TLS") findings.push({ resource: listener, reason: `${listener.inputs.protocol ?? "TCP"} listener on port ${listener.inputs.port} takes connections from the internet without TLS at the load balancer` });
            }
        }
        return findings;
    },
};

export const NETWORK_LISTENER_CONTROLS: StackControl[] = [networkListenerTls];
