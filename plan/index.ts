/**
 * `@fargate-service/plan`: the offline plan of an environment (resources, monthly cost,
 * controls, deploy time, diagram) with no AWS account and no Pulumi CLI. The same document the
 * `fargate-service-plan` command prints as JSON.
 *
 * @module @fargate-service/plan
 */
export { planStack, planProgram, planConfig, mandatoryFailures, resolveStackEnvironment, OFFLINE_NOTE } from "./plan";
export type { PlanDocument, PlanControl, PlanOptions } from "./plan";
export type { CostEstimate, CostLine, CostAssumptions } from "../analysis/costModel";
export type { DeployEstimate, DeployAssumptions, RollingUpdate, CriticalPathStep } from "../analysis/deployModel";
export type { ControlStatus, ControlFinding } from "../analysis/controls/types";
export { readStackConfig, listStacks } from "../stacks/stackConfig";
export type { StackConfig } from "../stacks/stackConfig";
export type { UnrecognisedType } from "../analysis/coverage";
export { renderText } from "./report";
export { renderSvg } from "./svg";
