import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * One backend, one name: the spellings of a backend URL that reach the same state become the same
 * string, so the lock of a stack is the same whichever spelling a caller used. `file://` paths are
 * resolved (`~`, `.`, `..`, trailing slashes), scheme and host are lower-cased, a trailing slash
 * and the query (`?region=`, which picks how to reach a bucket, not which) are dropped.
 */
export function normalizeBackendUrl(url: string | undefined, cwd: string = process.cwd()): string {
    const given = (url ?? process.env.PULUMI_BACKEND_URL ?? "").trim();
    // The CLI's own choice (the backend it is logged in to): one name for all such callers.
    if (given === "") return "(current backend)";
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(given);
    if (!scheme) return given;
    const protocol = scheme[1].toLowerCase();
    const rest = given.slice(scheme[0].length).split(/[?#]/)[0];
    if (protocol === "file") return `file://${fileBackendDir(given, cwd)}`;
    const slash = rest.indexOf("/");
    const host = (slash < 0 ? rest : rest.slice(0, slash)).toLowerCase();
    const pathPart = slash < 0 ? "" : rest.slice(slash).replace(/\/+$/, "").replace(/\/{2,}/g, "/");
    return `${protocol}://${host}${pathPart}`;
}

/**
 * The directory of a `file://` backend, as the CLI reads it: `file://~` is the home directory,
 * `file://./state` is relative to the working directory, `file:///var/lib/state` absolute.
 */
export function fileBackendDir(url: string, cwd: string = process.cwd()): string {
    let rest = url.trim().replace(/^file:\/\//i, "").split(/[?#]/)[0];
    if (rest === "~" || rest.startsWith("~/")) rest = path.join(os.homedir(), rest.slice(1));
    const dir = path.resolve(cwd, rest === "" ? "." : decodeURIComponent(rest));
    try {
        // A symbolic link and its target are one backend.
        return fs.realpathSync(dir);
    } catch {
        return dir;
    }
}

/** Whether `url` names a backend on this machine's disk. */
export function isFileBackend(url: string | undefined): url is string {
    return /^file:\/\//i.test((url ?? "").trim());
}
