/**
 * The argument interfaces users program against (components/*Args.ts and the components' own)
 * and the zod schemas that judge them at run time (core/serviceSchema.ts, core/workloadSchemas.ts,
 * core/componentSchemas.ts) name the same keys, at every depth. Checked by the compiler:
 * `npm run typecheck` fails on a key that one side has and the other lacks, and its message names
 * the key path (`"loadBalancer.healthCheck.path: only in the args"`). tests/argsSchemas.test.ts
 * runs the same comparison on the schemas' shapes at run time.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { FargateClusterArgs } from "../components/cluster";
import type { EnvironmentAlertsArgs } from "../components/environmentAlerts";
import type { DashboardSource } from "../components/environmentDashboard";
import type { EventTaskArgs } from "../components/eventTask";
import type { FargateServiceArgs } from "../components/fargateServiceArgs";
import type { ServiceLoadBalancerComponentArgs } from "../components/loadBalancer";
import type { QueueWorkerArgs } from "../components/queueWorker";
import type { ReleaseRepositoryArgs } from "../components/releaseRepository";
import type { ServiceRepositoryArgs } from "../components/repository";
import type { ScheduledTaskArgs } from "../components/scheduledTask";
import type { ServiceAlarmsArgs } from "../components/serviceAlarms";
import type { SharedFileSystemArgs } from "../components/fileSystem";
import type {
    dashboardSourceSchema,
    environmentAlertsArgsSchema,
    fargateClusterArgsSchema,
    releaseRepositoryArgsSchema,
    serviceAlarmsArgsSchema,
    serviceLoadBalancerArgsSchema,
    serviceRepositoryArgsSchema,
    sharedFileSystemArgsSchema,
} from "../core/componentSchemas";
import type { fargateServiceArgsSchema } from "../core/serviceSchema";
import type { eventTaskArgsSchema, queueWorkerArgsSchema, scheduledTaskArgsSchema } from "../core/workloadSchemas";

/** A value as the program sees it once known: Inputs, Outputs and Promises unwrapped, undefined removed. */
type Known<T> = NonNullable<T extends pulumi.OutputInstance<infer U> ? U : T extends PromiseLike<infer U> ? U : T>;

type IsAny<T> = 0 extends 1 & T ? true : false;
type IsUnknown<T> = unknown extends T ? (IsAny<T> extends true ? false : true) : false;

/** The keys of every member of a union (keyof of a union gives only the shared ones). */
type KeysOf<T> = T extends unknown ? keyof T : never;
/** The type of a key across the members of a union that have it. */
type ValueOf<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;

/** An object both sides describe key by key: not a primitive, an array, a function or a resource. */
type IsRecordLike<T> = [T] extends [object] ? ([T] extends [readonly unknown[]] ? false : [T] extends [(...args: never[]) => unknown] ? false : [T] extends [pulumi.Resource] ? false : true) : false;

type Depth = [never, 0, 1, 2, 3, 4, 5, 6, 7];

/**
 * Every key path that only one side has, as `"path: only in the args"` or `"path: only in the
 * schema"`; never when the two agree. A side that accepts anything at some path (`z.any()`, a
 * Resource, `unknown`) ends the comparison there: the other side's shape is its own.
 */
export type KeyDrift<Args, Schema, Path extends string = "", D extends number = 8> = [D] extends [never]
    ? never
    : IsAny<Args> extends true
      ? never
      : IsAny<Schema> extends true
        ? never
        : IsUnknown<Args> extends true
          ? never
          : IsUnknown<Schema> extends true
            ? never
            : [Args] extends [readonly (infer A)[]]
              ? [Schema] extends [readonly (infer S)[]]
                  ? KeyDrift<Known<A>, Known<S>, `${Path}[]`, Depth[D]>
                  : never
              : IsRecordLike<Args> extends true
                ? IsRecordLike<Schema> extends true
                    ?
                          | `${Path}${Exclude<KeysOf<Args>, KeysOf<Schema>> & string}: only in the args`
                          | `${Path}${Exclude<KeysOf<Schema>, KeysOf<Args>> & string}: only in the schema`
                          | {
                                [K in KeysOf<Args> & KeysOf<Schema> & string]: KeyDrift<Known<ValueOf<Args, K>>, Known<ValueOf<Schema, K>>, `${Path}${K}.`, Depth[D]>;
                            }[KeysOf<Args> & KeysOf<Schema> & string]
                    : never
                : never;

/** `true` when the two agree; otherwise the drift itself, which `true` cannot be assigned to. */
export type NoDrift<Args, Schema> = [KeyDrift<Args, Schema>] extends [never] ? true : KeyDrift<Args, Schema>;

/** Each component's arguments against the schema its constructor parses them with. */
export const agree: {
    FargateService: NoDrift<FargateServiceArgs, z.input<typeof fargateServiceArgsSchema>>;
    FargateCluster: NoDrift<FargateClusterArgs, z.input<typeof fargateClusterArgsSchema>>;
    ServiceLoadBalancer: NoDrift<ServiceLoadBalancerComponentArgs, z.input<typeof serviceLoadBalancerArgsSchema>>;
    ServiceRepository: NoDrift<ServiceRepositoryArgs, z.input<typeof serviceRepositoryArgsSchema>>;
    ReleaseRepository: NoDrift<ReleaseRepositoryArgs, z.input<typeof releaseRepositoryArgsSchema>>;
    QueueWorker: NoDrift<QueueWorkerArgs, z.input<typeof queueWorkerArgsSchema>>;
    ScheduledTask: NoDrift<ScheduledTaskArgs, z.input<typeof scheduledTaskArgsSchema>>;
    EventTask: NoDrift<EventTaskArgs, z.input<typeof eventTaskArgsSchema>>;
    ServiceAlarms: NoDrift<ServiceAlarmsArgs, z.input<typeof serviceAlarmsArgsSchema>>;
    EnvironmentAlerts: NoDrift<EnvironmentAlertsArgs, z.input<typeof environmentAlertsArgsSchema>>;
    SharedFileSystem: NoDrift<SharedFileSystemArgs, z.input<typeof sharedFileSystemArgsSchema>>;
    createEnvironmentDashboard: NoDrift<DashboardSource, z.input<typeof dashboardSourceSchema>>;
} = {
    FargateService: true,
    FargateCluster: true,
    ServiceLoadBalancer: true,
    ServiceRepository: true,
    ReleaseRepository: true,
    QueueWorker: true,
    ScheduledTask: true,
    EventTask: true,
    ServiceAlarms: true,
    EnvironmentAlerts: true,
    SharedFileSystem: true,
    createEnvironmentDashboard: true,
};

// The comparison itself is checked: each line below must fail to compile, or the typecheck fails.
type Nested = { a?: pulumi.Input<{ b?: number; c?: string }>; list?: { d: string }[] };
// @ts-expect-error a key the schema lacks
export const argsOnly: NoDrift<{ a?: string; extra?: number }, { a?: string }> = true;
// @ts-expect-error a key the args lack
export const schemaOnly: NoDrift<{ a?: string }, { a?: string; extra?: number }> = true;
// @ts-expect-error a nested key behind an Input
export const nested: NoDrift<Nested, { a?: { b?: number }; list?: { d: string }[] }> = true;
// @ts-expect-error a key in the items of a list
export const inList: NoDrift<Nested, { a?: { b?: number; c?: string }; list?: { e: string }[] }> = true;
export const same: NoDrift<Nested, { a?: { b?: number; c?: string }; list?: { d: string }[] }> = true;
