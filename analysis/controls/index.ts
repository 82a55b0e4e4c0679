import { CONTROL_IDS } from "../controlIds";
import { StackGraph } from "../stackResources";
import { NETWORK_LISTENER_CONTROLS } from "./networkListeners";
import { RELIABILITY } from "./reliability";
import { ecrPullOnly } from "./repositoryAccess";
import { SECURITY_HUB } from "./securityHub";
import { SERVICE_CONNECT } from "./serviceConnect";
import { isoDate, waiverApplies } from "../waivers";
import type { Control, ControlFinding, ControlResult, ControlSettings, Waiver } from "./types";

export * from "./types";

/** Every control, in the order of CONTROL_IDS. */
export const CONTROLS: Control[] = [...SECURITY_HUB, ...RELIABILITY, ecrPullOnly, ...SERVICE_CONNECT, ...NETWORK_LISTENER_CONTROLS].sort((a, b) => CONTROL_IDS.indexOf(a.id) - CONTROL_IDS.indexOf(b.id));

/** Runs one control over a stack: its findings, or undefined when it does not apply. */
export function runControl(control: Control, graph: StackGraph, settings: ControlSettings): ControlFinding[] | undefined {
    if (control.kind === "stack") {
        return control.check(graph, settings)?.map((f) => ({ urn: f.resource?.urn, type: f.resource?.type, name: f.resource?.name, reason: f.reason }));
    }
    let applicable = false;
    const findings: ControlFinding[] = [];
    for (const resource of graph.ofType(...control.resourceTypes)) {
        const reasons = control.check(resource.type, resource.inputs);
        if (reasons === undefined) continue;
        applicable = true;
        for (const reason of reasons) findings.push({ urn: resource.urn, type: resource.type, name: resource.name, reason });
    }
    return applicable ? findings : undefined;
}

/**
 * Judges every control: pass, fail, waived (fails, and the stack holds a waiver that has not
 * expired) or not applicable (nothing in the stack it could judge). An expired waiver is shown
 * with the failing control, marked expired.
 */
export function evaluateControls(graph: StackGraph, settings: ControlSettings, waivers: Record<string, Waiver> = {}, today: string = isoDate()): ControlResult[] {
    return CONTROLS.map((control) => {
        const findings = runControl(control, graph, settings);
        const waiver = waivers[control.id];
        const base = { id: control.id, title: control.title, findings: findings ?? [] };
        if (findings === undefined) return { ...base, status: "not-applicable" as const, ...(waiver ? { waiver, unusedWaiver: true } : {}) };
        if (findings.length === 0) return { ...base, status: "pass" as const, ...(waiver ? { waiver, unusedWaiver: true } : {}) };
        if (!waiver) return { ...base, status: "fail" as const };
        return waiverApplies(waiver, today) ? { ...base, status: "waived" as const, waiver } : { ...base, status: "fail" as const, waiver, expiredWaiver: true };
    });
}
