import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigInvalidError } from "./errors";
import { checkEnvironmentName } from "./config";

/**
 * A stack's workspace directory (`<workspaceDir>/<stack>`): the SDK writes `Pulumi.yaml` and the
 * stack's settings file there. It is the caller's directory, so this API checks where it is before
 * writing, and removes only what it wrote.
 */

/**
 * The SDK writes `Pulumi.yaml` and `Pulumi.<stack>.yaml` into a stack's workspace directory, and
 * removeStack deletes the latter: that directory can never be the project's own (where they are
 * the stack files) nor one that holds the project.
 */
export function checkWorkDir(workDir: string, projectDir: string): void {
    const work = realExistingPath(workDir);
    const project = realExistingPath(projectDir);
    if (project === work || project.startsWith(work + path.sep)) {
        throw new ConfigInvalidError("options", [
            {
                path: "workspaceDir",
                message: `${workDir} is (or holds) the project's directory ${projectDir}: the workspace files would replace its stack files; use a directory of its own, outside the project (such as /var/lib/portal/workspaces)`,
            },
        ]);
    }
}

/** The real path of `target`, through its nearest existing ancestor when it does not exist yet. */
function realExistingPath(target: string): string {
    const resolved = path.resolve(target);
    try {
        return fs.realpathSync(resolved);
    } catch {
        const parent = path.dirname(resolved);
        return parent === resolved ? resolved : path.join(realExistingPath(parent), path.basename(resolved));
    }
}

/**
 * Removes what this API wrote for a stack in its workspace directory, `Pulumi.<stack>.yaml` (and
 * the directory when nothing else is left in it), never anything else: the directory is the
 * caller's, and may hold files of its own.
 */
export function removeStackSettings(workDir: string, name: string): void {
    checkEnvironmentName(name);
    const settings = path.join(workDir, `Pulumi.${name}.yaml`);
    if (path.dirname(settings) !== workDir) return;
    fs.rmSync(settings, { force: true });
    const left = fs.existsSync(workDir) ? fs.readdirSync(workDir) : [];
    // The project file is the one workspaceOptions hands the SDK: ours to remove with the stack.
    if (left.length === 1 && left[0] === "Pulumi.yaml") fs.rmSync(path.join(workDir, "Pulumi.yaml"));
    if (fs.existsSync(workDir) && fs.readdirSync(workDir).length === 0) fs.rmdirSync(workDir);
}
