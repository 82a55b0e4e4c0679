import { checkEphemeralName, ephemeralEnvironmentConfig } from "./config";
import { applyEphemeralOverrides } from "./ephemeralOverrides";
import { deployEnvironment, destroyEnvironment } from "./operations";
import { EphemeralEnvironmentOptions, OperationOptions, projectDirOf } from "./options";
import type { DeployOutcome, DestroyOutcome } from "./outcomes";

/** Ephemeral environments (pr-123): dev's config in a stack of their own, created and destroyed whole. */

/**
 * Deploys an ephemeral environment, such as `pr-123`: dev's config (same services) with the dev
 * preset, in a stack of its own. The name must be valid and must not be a stack file's (dev, prod).
 */
export async function createEphemeralEnvironment(name: string, options: EphemeralEnvironmentOptions = {}): Promise<DeployOutcome> {
    const projectDir = projectDirOf(options);
    checkEphemeralName(name, projectDir);
    const { config, aws } = ephemeralEnvironmentConfig(projectDir);
    return deployEnvironment(name, applyEphemeralOverrides(config, options.overrides), { ...options, region: options.region ?? aws.region, profile: options.profile ?? aws.profile });
}

/** Destroys an ephemeral environment's resources, then removes its stack. Refuses the stack files' names. */
export async function destroyEphemeralEnvironment(name: string, options: OperationOptions = {}): Promise<DestroyOutcome> {
    checkEphemeralName(name, projectDirOf(options));
    return destroyEnvironment(name, { ...options, removeStack: true });
}
