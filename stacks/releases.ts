import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ReleaseRepository } from "../components/releaseRepository";
import { checkPullAccess, releaseRepositoryShape } from "../core/componentSchemas";
import { releaseRepositoryName, repositorySegment } from "../core/ecrNames";
import { ALWAYS, parseOrThrow } from "../core/validation";
import { ValidationError } from "../core/validationError";

/**
 * The release account's stack: one ReleaseRepository per workload, from a stack file. A stack of
 * its own, not part of an environment, because a release outlives every environment (dev is
 * destroyed at will, and prod must not own what staging runs), and in a multi-account setup it
 * lives in another account, deployed with that account's credentials. The repositories are named
 * `<project>/releases/<workload>` from the environments' project, so an environment finds its
 * workload's release repository with no configuration.
 *
 * ```yaml
 * config:
 *   aws:region: us-east-1
 *   fargate-service-releases:releases:
 *     project: fargate-service
 *     workloads: [api, worker]
 *     pullAccounts: ["111122223333"]
 * ```
 */

/** The `releases` key of the stack file: the workloads' names beside ReleaseRepository's arguments (less the name, which the environments' convention decides). */
const { name: _decidedByConvention, ...sharedShape } = releaseRepositoryShape;

export const releaseStackSchema = z
    .strictObject({
        ...sharedShape,
        project: z.string().min(1),
        workloads: z.array(z.string().min(1)).min(1),
    })
    .superRefine((spec, ctx) => {
        checkPullAccess(spec, ctx);
        if (!Array.isArray(spec?.workloads) || typeof spec.project !== "string") return;
        // Two names that become one repository name (`My API`, `my-api`) would be one repository twice.
        const seen = new Map<string, number>();
        spec.workloads.forEach((workload, index) => {
            if (typeof workload !== "string") return;
            const name = releaseRepositoryName(spec.project, workload);
            const first = seen.get(name);
            if (first !== undefined) ctx.addIssue({ code: "custom", path: ["workloads", index], message: `is repository ${name}, as workloads[${first}] is: name each workload once` });
            else seen.set(name, index);
        });
    }, ALWAYS);

export type ReleaseStackSpec = z.output<typeof releaseStackSchema>;

/** The program of a release stack: `releases/index.ts` exports it. */
export function releasesProgram(): Record<string, unknown> {
    const namespace = pulumi.getProject();
    const source = `Pulumi.${pulumi.getStack()}.yaml`;
    const raw = pulumi.runtime.allConfig()[`${namespace}:releases`];
    if (raw === undefined) throw new ValidationError(source, [{ path: `${namespace}:releases`, message: "is required: project and workloads, and pullAccounts to share them" }]);
    let given: unknown;
    try {
        given = JSON.parse(raw);
    } catch {
        given = raw;
    }
    const spec = parseOrThrow(releaseStackSchema, given, source, `${namespace}:releases`);
    const { project, workloads, ...shared } = spec;
    const repositories = Object.fromEntries(
        workloads.map((workload) => {
            // The component's logical name is the segment its repository ends with, so names stay stable and readable.
            const repository = new ReleaseRepository(repositorySegment(workload), { ...shared, name: releaseRepositoryName(project, workload) });
            return [workload, repository];
        }),
    );
    const first = Object.values(repositories)[0];
    return {
        registryId: first.registryId,
        repositories: Object.fromEntries(Object.entries(repositories).map(([workload, r]) => [workload, r.repositoryUrl])),
    };
}
