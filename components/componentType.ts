/**
 * The type token of our components. Pulumi's component-package host finds a class by the third
 * segment, and names the package after package.json, so the token must be `<package>:index:<Class>`.
 */
export const PACKAGE_NAME = "pulumi-fargate-service";

export function componentType(className: string): string {
    return `${PACKAGE_NAME}:index:${className}`;
}
