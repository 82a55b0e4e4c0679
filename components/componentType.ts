import type { ComponentResourceOptions } from "@pulumi/pulumi";

/**
 * The Pulumi package name: the first part of every component's type token, and the name Pulumi's
 * code generators derive each language's package from (Python `pulumi_fargate_service`, Go
 * `fargateservice`, .NET `Pulumi.FargateService`). plugin/package.json carries the same name,
 * because the component-package host names the package after it; a test holds the two together.
 * Everything that recognises our components by type (the plan, the cost coverage, the policy pack)
 * reads it from here.
 */
export const PACKAGE_NAME = "fargate-service";

/**
 * The package name of 0.1.x. Components registered under it keep their URNs through an alias, so a
 * stack deployed with 0.1.x upgrades in place instead of replacing every resource.
 */
export const FORMER_PACKAGE_NAME = "pulumi-fargate-service";

/**
 * The type token of a component. Pulumi's component-package host finds a class by the third
 * segment, and names the package after package.json, so the token must be `<package>:index:<Class>`.
 */
export function componentType(className: string): string {
    return `${PACKAGE_NAME}:index:${className}`;
}

/** True for the type token of one of our components. */
export function isComponentType(type: string): boolean {
    return type.startsWith(`${PACKAGE_NAME}:`);
}

/**
 * The options a component registers with: the caller's, plus an alias from the type the component
 * had in 0.1.x. The engine carries a component's aliases over to its children, so the whole tree
 * keeps its state (https://www.pulumi.com/docs/iac/concepts/options/aliases/). The caller's own
 * aliases come first and are kept.
 */
export function withFormerTypeAlias(className: string, opts: ComponentResourceOptions | undefined): ComponentResourceOptions {
    return { ...opts, aliases: [...(opts?.aliases ?? []), { type: `${FORMER_PACKAGE_NAME}:index:${className}` }] };
}
