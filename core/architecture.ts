import { Architecture } from "./enums";

/**
 * The CPU architecture a task gets when its arguments name none: ARM64 (Graviton, about 20% cheaper
 * on-demand and on Spot) wherever the image is known to run there, X86_64 elsewhere.
 * - An image built here (`image.build`) is built for the task's architecture, so for linux/arm64.
 * - An image given by URI or tag was built elsewhere, for a platform nothing here can see; it stays
 *   X86_64 unless the arguments say `architecture: "ARM64"` (a multi-arch or arm64 image).
 */
export function defaultArchitecture(image: { build?: unknown } | undefined): Architecture {
    return image?.build !== undefined ? Architecture.ARM64 : Architecture.X86_64;
}
