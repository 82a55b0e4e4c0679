import { z } from "zod";
import { parseArn } from "./arns";
import { enumValues } from "./enums";
import {
    AppProtocol,
    CLIENT_ALIAS_PORT,
    DISCOVERY_NAME,
    DISCOVERY_NAME_RULE,
    MAX_TASKS_WITH_SERVICE_CONNECT,
    SERVICE_CONNECT_SOURCES,
    discoveryNameProblem,
    namespaceNameProblem,
    privateCaArnProblem,
} from "./serviceConnect";
import { describeValue, inputString, integer } from "./validation";

/**
 * The zod schemas of Service Connect's arguments (a service's `serviceConnect`, a cluster's
 * `serviceConnect`) and the checks that relate them to the rest of a service: AWS's rules from
 * core/serviceConnect.ts, applied before anything is created.
 */

const discoveryName = z.string().refine((v) => DISCOVERY_NAME.test(v), { error: (issue) => `${describeValue(issue.input)} is not a Service Connect name: ${DISCOVERY_NAME_RULE} (${SERVICE_CONNECT_SOURCES.service})` });
const port = integer(CLIENT_ALIAS_PORT.min, CLIENT_ALIAS_PORT.max);
const kmsKeyArn = inputString((v) => (parseArn(v)?.service === "kms" && parseArn(v)?.resource.startsWith("key/") ? undefined : `${describeValue(v)} is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`));

export const serviceConnectTlsSchema = z.strictObject({
    privateCaArn: inputString(privateCaArnProblem),
    roleArn: inputString(),
    kmsKeyArn: kmsKeyArn.optional(),
});

export const serviceConnectEndpointSchema = z.strictObject({
    name: discoveryName,
    securityGroupId: inputString(),
    port,
});

/** A FargateService's `serviceConnect`. */
export const serviceConnectSchema = z.strictObject({
    namespace: inputString(),
    name: discoveryName.optional(),
    port: port.optional(),
    appProtocol: z.enum(enumValues(AppProtocol)).optional(),
    calls: z.array(serviceConnectEndpointSchema).optional(),
    tls: serviceConnectTlsSchema.optional(),
});

/** A FargateCluster's `serviceConnect`: the namespace it creates and, optionally, TLS for its services. */
export const clusterServiceConnectSchema = z.strictObject({
    namespaceName: z
        .string()
        .refine((v) => namespaceNameProblem(v) === undefined, { error: (issue) => namespaceNameProblem(String(issue.input)) ?? "is not a namespace name" })
        .optional(),
    tls: z
        .strictObject({
            privateCaArn: inputString(privateCaArnProblem),
            kmsKeyArn: kmsKeyArn.optional(),
        })
        .optional(),
});

type Loose = Record<string, any>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * What a service's Service Connect settings cannot be, given the rest of the service: a name with
 * no port to publish, TLS or a protocol on a service that publishes nothing, and more tasks than
 * Service Connect allows per service. `port` is the main container's port (given, or the load
 * balancer's default), undefined when it has none.
 */
export function serviceConnectProblems(args: Loose, port: number | undefined): { path: PropertyKey[]; message: string }[] {
    const sc = isObject(args.serviceConnect) ? args.serviceConnect : undefined;
    if (!sc) return [];
    const problems: { path: PropertyKey[]; message: string }[] = [];
    const at = (path: PropertyKey[], message: string) => problems.push({ path, message });
    const server = typeof sc.name === "string";
    if (server && port === undefined) at(["serviceConnect", "name"], "needs a port to publish: set container.port (a service without a load balancer has none by default)");
    if (!server) {
        for (const key of ["tls", "appProtocol", "port"] as const) {
            if (sc[key] !== undefined) at(["serviceConnect", key], "has no effect without serviceConnect.name: the service publishes no endpoint of its own, it only calls others");
        }
    }
    const cap = MAX_TASKS_WITH_SERVICE_CONNECT;
    const why = `a service using Service Connect runs at most ${cap} tasks (${SERVICE_CONNECT_SOURCES.quotas})`;
    if (typeof args.desiredCount === "number" && args.desiredCount > cap) at(["desiredCount"], `${args.desiredCount} is over ${cap}: ${why}`);
    const scaling = isObject(args.scaling) ? args.scaling : undefined;
    if (scaling && scaling.enabled !== false && typeof scaling.max === "number" && scaling.max > cap) at(["scaling", "max"], `${scaling.max} is over ${cap}: ${why}`);
    return problems;
}

export { discoveryNameProblem };
