import type { ControlId } from "../controlIds";
import type { CostAssumptions } from "../costModel";
import type { DeployAssumptions } from "../deployModel";
import type { StackGraph, StackResource } from "../stackResources";

/** What the stack-level controls need to know about the environment beyond its resources. */
export interface ControlSettings {
    /** Wherever Fargate Spot is used, an on-demand base must exist (prod). */
    requireOnDemandBase: boolean;
    /** Stateful resources must be protected and retained on delete (prod). */
    requireProtection?: boolean;
    /** The longest a rolling update of one service may take, in minutes. */
    rollingUpdateMinutes?: number;
    /** The monthly budget the cost estimate must stay under, in USD. */
    monthlyBudgetUsd?: number;
    /** The NAT gateways the environment asked for. */
    expectedNatGateways?: number;
    costAssumptions?: Partial<CostAssumptions>;
    deployAssumptions?: Partial<DeployAssumptions>;
}

/**
 * A control judged one resource at a time, from its type and inputs only. It returns the reasons
 * the resource fails (empty when it passes), or undefined when it does not apply to that resource.
 */
export interface ResourceControl {
    id: ControlId;
    title: string;
    kind: "resource";
    resourceTypes: readonly string[];
    check(type: string, inputs: Record<string, any>): string[] | undefined;
}

export interface StackFinding {
    resource?: StackResource;
    reason: string;
}

/** A control judged over the whole stack; undefined when it does not apply to this stack. */
export interface StackControl {
    id: ControlId;
    title: string;
    kind: "stack";
    check(graph: StackGraph, settings: ControlSettings): StackFinding[] | undefined;
}

export type Control = ResourceControl | StackControl;

/**
 * Why a stack knowingly fails a control, who agreed, and until when. After `expires` the waiver no
 * longer applies: the control fails again until someone renews it or fixes the stack.
 */
export interface Waiver {
    reason: string;
    /** The last day the waiver applies, as YYYY-MM-DD (UTC). */
    expires: string;
    /** Who accepted the risk: a person or a team, as the organisation names them. */
    approvedBy: string;
}

export type ControlStatus = "pass" | "fail" | "waived" | "not-applicable";

export interface ControlFinding {
    urn?: string;
    type?: string;
    name?: string;
    reason: string;
}

export interface ControlResult {
    id: ControlId;
    title: string;
    status: ControlStatus;
    findings: ControlFinding[];
    /** The stack's waiver of the control, when it has one. */
    waiver?: Waiver;
    /** True when the waiver's last day has passed: it no longer applies, and the control fails. */
    expiredWaiver?: boolean;
    /** True when a waiver is declared for a control that passes: the waiver can go. */
    unusedWaiver?: boolean;
}
