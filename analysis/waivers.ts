import type { Waiver } from "./controls/types";

/** Today's date in UTC as YYYY-MM-DD, the form a waiver's `expires` takes. */
export function isoDate(date: Date = new Date()): string {
    return date.toISOString().slice(0, 10);
}

/** Whether a waiver still applies on `today` (YYYY-MM-DD): its `expires` day is the last one it does. */
export function waiverApplies(waiver: Waiver, today: string): boolean {
    return waiver.expires >= today;
}

/** A waiver in one line, for reports: its last day, its approver and its reason. */
export function describeWaiver(waiver: Waiver): string {
    return `until ${waiver.expires}, approved by ${waiver.approvedBy}: ${waiver.reason}`;
}
