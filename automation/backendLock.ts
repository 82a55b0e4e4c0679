import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileBackendDir, isFileBackend } from "./backendUrl";

/**
 * One operation per stack across processes: a lock the backend itself holds, so two portals (or a
 * portal and a script) on one backend take turns instead of racing.
 *
 * - `file://` backends: an exclusive lock file, created with O_EXCL inside the backend's directory
 *   (every process that shares the state shares the directory). Its holder writes its pid, host
 *   and start time, and touches it every few seconds; a lock whose holder died (same host, pid
 *   gone) or stopped touching it (any host) is stale, and is broken.
 * - Other backends (Pulumi Cloud, S3...): the backend's own update lock. Pulumi Cloud answers a
 *   second update with `[409] Conflict: Another update is currently in progress`, which the API
 *   reports as EnvironmentBusyError (409 with Retry-After in the portal): no lock file here, as
 *   no directory is shared.
 */

/** How often a holder touches its lock file. */
export const HEARTBEAT_MS = 5_000;
/** A lock not touched for this long belongs to a holder that is gone (a hung or killed process, another host). */
export const STALE_AFTER_MS = 30_000;
/** How often a waiter looks again. */
const POLL_MS = 200;

export interface LockHolder {
    pid: number;
    host: string;
    /** When the holder took the lock (ISO 8601). */
    since: string;
    operation: string;
    /** Tells this holder's file from the next one's. */
    nonce: string;
}

export interface BackendLockRequest {
    backendUrl: string | undefined;
    /** Resolves relative `file://` paths. */
    cwd: string;
    project: string;
    stack: string;
    operation: string;
    /** Stops waiting; the promise rejects with the signal's reason. */
    signal?: AbortSignal;
    /** Called when another process holds the lock, before waiting for it. */
    onHeld?: (holder: LockHolder) => void;
    /** Fail at once instead of waiting: rejects with BackendLockHeldError. */
    failIfHeld?: boolean;
}

/** Another process holds the stack's lock on the backend. */
export class BackendLockHeldError extends Error {
    constructor(public readonly holder: LockHolder) {
        super(`held by pid ${holder.pid} on ${holder.host} since ${holder.since} (${holder.operation})`);
        this.name = "BackendLockHeldError";
    }
}

/** Where the lock of a stack lives on a `file://` backend. */
export function lockFilePath(backendUrl: string, cwd: string, project: string, stack: string): string {
    return path.join(fileBackendDir(backendUrl, cwd), ".fargate-service-locks", safeSegment(project), `${safeSegment(stack)}.lock`);
}

/**
 * Takes the stack's lock on the backend, waiting for another process to release it. Returns the
 * function that releases it. Backends other than `file://` need no lock here (see above).
 */
export async function acquireBackendLock(request: BackendLockRequest): Promise<() => void> {
    if (!isFileBackend(request.backendUrl)) return () => undefined;
    const file = lockFilePath(request.backendUrl, request.cwd, request.project, request.stack);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const me: LockHolder = { pid: process.pid, host: os.hostname(), since: "", operation: request.operation, nonce: randomUUID() };
    let told = false;
    for (;;) {
        request.signal?.throwIfAborted();
        me.since = new Date().toISOString();
        if (tryCreate(file, me)) return holding(file, me);
        const holder = readHolder(file);
        if (holder === undefined) continue; // released between our attempt and our read
        if (isStale(file, holder)) {
            breakLock(file, holder);
            continue;
        }
        if (request.failIfHeld) throw new BackendLockHeldError(holder);
        if (!told) {
            told = true;
            request.onHeld?.(holder);
        }
        await sleep(POLL_MS, request.signal);
    }
}

function tryCreate(file: string, me: LockHolder): boolean {
    let fd: number;
    try {
        // O_EXCL: of all processes creating the file at once, exactly one succeeds.
        fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o644);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw error;
    }
    try {
        fs.writeSync(fd, JSON.stringify(me));
    } finally {
        fs.closeSync(fd);
    }
    return true;
}

/** Keeps the lock fresh while held; the release removes it only if it is still ours. */
function holding(file: string, me: LockHolder): () => void {
    const heartbeat = setInterval(() => {
        try {
            const now = new Date();
            fs.utimesSync(file, now, now);
        } catch {
            // Broken by someone who judged us stale: nothing to keep fresh.
        }
    }, HEARTBEAT_MS);
    heartbeat.unref();
    let released = false;
    return () => {
        if (released) return;
        released = true;
        clearInterval(heartbeat);
        if (readHolder(file)?.nonce === me.nonce) fs.rmSync(file, { force: true });
    };
}

function readHolder(file: string): LockHolder | undefined {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
    }
    try {
        return JSON.parse(text) as LockHolder;
    } catch {
        // Created, not yet written: a holder of a few microseconds, never stale by content.
        return { pid: 0, host: "", since: new Date().toISOString(), operation: "starting", nonce: "" };
    }
}

/** Stale: its holder's process is gone (on this host), or it has not been touched for STALE_AFTER_MS (any host). */
export function isStale(file: string, holder: LockHolder, now: number = Date.now()): boolean {
    if (holder.host === os.hostname() && holder.pid > 0 && !processAlive(holder.pid)) return true;
    try {
        return now - fs.statSync(file).mtimeMs > STALE_AFTER_MS;
    } catch {
        return false;
    }
}

function processAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        // EPERM: it exists, it is someone else's.
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}

/**
 * Removes a stale lock, unless it changed hands meanwhile. Breakers take turns through a second
 * O_EXCL file, so two of them cannot both judge the same lock stale and one remove the lock the
 * other just took.
 */
function breakLock(file: string, stale: LockHolder): void {
    const breaker = `${file}.break`;
    const me: LockHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), operation: "break", nonce: randomUUID() };
    if (!tryCreate(breaker, me)) {
        // A breaker that died mid-way leaves its file: stale like any lock.
        const other = readHolder(breaker);
        if (other && isStale(breaker, other)) fs.rmSync(breaker, { force: true });
        return;
    }
    try {
        const now = readHolder(file);
        if (now && now.nonce === stale.nonce && isStale(file, now)) fs.rmSync(file, { force: true });
    } finally {
        fs.rmSync(breaker, { force: true });
    }
}

function safeSegment(text: string): string {
    return text.replace(/[^A-Za-z0-9._-]/g, "_");
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal!.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
    });
}
