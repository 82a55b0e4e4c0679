import type { PlanDocument } from "./plan";

/** Draws the plan's diagram as SVG with Graphviz compiled to WebAssembly: no browser, no binary. */
export async function renderSvg(plan: PlanDocument): Promise<string> {
    const { instance } = await import("@viz-js/viz");
    const viz = await instance();
    return viz.renderString(plan.diagram.dot, { format: "svg", engine: "dot" });
}
