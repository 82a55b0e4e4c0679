import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EnvironmentSpec } from "../stacks/environment";
import { policyPackConfig } from "../stacks/policyPackConfig";
import { ConfigOperationOptions, projectDirOf } from "./options";

/** Which policy pack an operation runs, and the config file the CLI hands it. */

/** The policy pack to run: the one asked for, else the project's own `policy/` when it has one. */
export function policyPackOf(options: ConfigOperationOptions): string | undefined {
    if (options.policyPack) return options.policyPack;
    const own = path.join(projectDirOf(options), "policy");
    return fs.existsSync(path.join(own, "PulumiPolicy.yaml")) ? own : undefined;
}

/** Runs `body` with the policy pack's arguments, its config written to a file the CLI reads. */
export async function withPolicyPack<T>(policyPack: string | undefined, spec: EnvironmentSpec, body: (args: { policyPacks?: string[]; policyPackConfigs?: string[] }) => Promise<T>): Promise<T> {
    if (!policyPack) return body({});
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fargate-service-policy-"));
    const configFile = path.join(dir, "policy-config.json");
    fs.writeFileSync(configFile, JSON.stringify(policyPackConfig(spec), null, 2));
    try {
        return await body({ policyPacks: [path.resolve(policyPack)], policyPackConfigs: [configFile] });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
