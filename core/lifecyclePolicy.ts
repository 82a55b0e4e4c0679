/**
 * The ECR lifecycle policy every repository gets (Security Hub ECR.3): untagged layers from
 * rebuilt tags and failed pushes expire, and only the most recent tagged images are kept, so
 * storage ($0.10 per GB-month) stops growing.
 */

export interface LifecycleSettings {
    /** Days after which untagged images expire. */
    untaggedExpiryDays: number;
    /** How many tagged images to keep; older ones expire. */
    keepTaggedImages: number;
}

export interface LifecycleRule {
    rulePriority: number;
    description: string;
    selection: {
        tagStatus: "untagged" | "any" | "tagged";
        countType: "sinceImagePushed" | "imageCountMoreThan";
        countUnit?: "days";
        countNumber: number;
    };
    action: { type: "expire" };
}

export interface LifecyclePolicyDocument {
    rules: LifecycleRule[];
}

export function lifecyclePolicy(settings: LifecycleSettings): LifecyclePolicyDocument {
    return {
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images after ${settings.untaggedExpiryDays} days`,
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: settings.untaggedExpiryDays },
                action: { type: "expire" },
            },
            {
                // "any" with the highest priority number applies to what rule 1 left: the tagged images.
                rulePriority: 2,
                description: `Keep the last ${settings.keepTaggedImages} images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: settings.keepTaggedImages },
                action: { type: "expire" },
            },
        ],
    };
}

/**
 * A release repository's lifecycle policy: untagged images (failed or interrupted pushes) expire,
 * and no rule ever selects a tagged image, so every release stays as long as the repository does.
 * Releases are few and small next to builds; the storage they keep is priced in the plan.
 */
export function releaseLifecyclePolicy(untaggedExpiryDays: number): LifecyclePolicyDocument {
    return {
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images after ${untaggedExpiryDays} days; release tags are never expired`,
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untaggedExpiryDays },
                action: { type: "expire" },
            },
        ],
    };
}
