import type { OpMap, OutputMap } from "@pulumi/pulumi/automation";

/** What the Automation API's calls return. */

export interface PreviewOutcome {
    environment: string;
    /** How many resources each operation would touch: `{ create: 40, same: 2 }`. */
    changes: OpMap;
}

export interface DeployOutcome {
    environment: string;
    changes: OpMap;
    /** The stack's outputs; secret values read `[secret]`. */
    outputs: Record<string, unknown>;
}

export interface RefreshOutcome {
    environment: string;
    changes: OpMap;
}

export interface DestroyOutcome {
    environment: string;
    changes: OpMap;
    /** Whether the stack itself was removed too. */
    stackRemoved: boolean;
}

export interface EnvironmentSummary {
    name: string;
    /** When it was last updated (ISO 8601), if ever. */
    lastUpdate?: string;
    updateInProgress: boolean;
    resourceCount?: number;
    /** Its page in Pulumi Cloud, on that backend. */
    url?: string;
}

/** Stands in for secret output values. */
export const SECRET_OUTPUT = "[secret]";

export function plainOutputs(outputs: OutputMap): Record<string, unknown> {
    return Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, output.secret ? SECRET_OUTPUT : output.value]));
}
