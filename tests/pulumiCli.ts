/**
 * Failures as the SDK raises them when a `pulumi` command fails: the command's text goes through
 * the SDK's own `createCommandError` (which picks ConcurrentUpdateError, StackNotFoundError...),
 * exactly as `exec` in automation/cmd.js does: code -2, the command's output in the message.
 */
const { CommandResult } = require("@pulumi/pulumi/automation/cmd") as { CommandResult: new (stdout: string, stderr: string, code: number, err?: Error) => object };
const { createCommandError } = require("@pulumi/pulumi/automation/errors") as { createCommandError(result: object): Error };

/** What the SDK throws when `pulumi <command>` exits 255 having printed `output`. */
export function cliFailure(output: string, command = "pulumi"): Error {
    const message = `Command failed with exit code 255: ${command}\n${output}`;
    return createCommandError(new CommandResult("", message, -2, new Error(message)));
}

/** What the SDK throws when it cannot spawn `pulumi` at all (not on the PATH). */
export function cliNotFound(): Error {
    const message = "Command failed with ENOENT: pulumi version\nspawn pulumi ENOENT";
    return createCommandError(new CommandResult("", message, -2, Object.assign(new Error(message), { code: "ENOENT" })));
}
