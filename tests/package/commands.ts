import { execFile } from "node:child_process";

export interface CommandResult {
    code: number;
    stdout: string;
    stderr: string;
    seconds: number;
}

/**
 * Runs a command to completion and reports how it ended, without throwing: a failing compile is
 * a result to assert on. Variables that npm sets for the script running these tests are dropped,
 * so a nested npm reads its own configuration, as it would in a user's shell.
 */
export function runCommand(command: string, args: string[], cwd: string): Promise<CommandResult> {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")));
    const started = Date.now();
    return new Promise((resolve) => {
        execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024, shell: process.platform === "win32" }, (error, stdout, stderr) => {
            const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
            resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 });
        });
    });
}

/** The output of a failed command, for an assertion message. */
export function describeFailure(what: string, result: CommandResult): string {
    return `${what} exited with ${result.code}\n${result.stdout}\n${result.stderr}`.trim();
}
