import { createHash } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { HttpError } from "./httpErrors";

/**
 * Defences that hold whatever the token says: a page of another site cannot make the browser
 * call the API (Origin, Sec-Fetch-Site, JSON only: a cross-site form or a no-CORS fetch can only
 * send text/plain, url-encoded or multipart bodies), a DNS name rebound to 127.0.0.1 reaches
 * nothing (Host), and the page itself runs no script but its own (CSP).
 */

export interface HostPolicy {
    /** Host headers answered besides loopback on the portal's port (`portal.example.com`). */
    allowedHosts: string[];
    /** Origins whose pages may write, besides the portal's own. */
    allowedOrigins: string[];
}

/**
 * The loopback names the portal answers to. The local modes listen only on these (cli.ts), so a
 * portal started on another 127.x address is refused at start rather than answering 421 to all.
 */
export const LOOPBACK_HOSTS: readonly string[] = ["127.0.0.1", "localhost", "::1"];
const LOOPBACK_NAMES = LOOPBACK_HOSTS.map((host) => (host.includes(":") ? `[${host}]` : host));

/** The hosts a request on this socket may name: loopback on the port it came in on, and the allowlist. */
function allowedHostsOf(req: Request, policy: HostPolicy): Set<string> {
    const port = req.socket.localPort;
    return new Set([...LOOPBACK_NAMES.map((name) => `${name}:${port}`), ...policy.allowedHosts.map((host) => host.toLowerCase())]);
}

/** 421 Misdirected Request for a Host not in the allowlist: the answer to DNS rebinding. */
export function hostGuard(policy: HostPolicy) {
    return (req: Request, _res: Response, next: NextFunction) => {
        const host = (req.headers.host ?? "").toLowerCase();
        if (!allowedHostsOf(req, policy).has(host)) {
            return next(new HttpError(421, "host-not-allowed", `This portal does not answer for Host ${JSON.stringify(req.headers.host ?? "")}: add it to allowedHosts in the access file if it is the portal's own name.`));
        }
        next();
    };
}

/** Every write: a JSON body (415 otherwise) and, from a browser, the portal's own origin (403 otherwise). */
export function writeGuard(policy: HostPolicy) {
    return (req: Request, _res: Response, next: NextFunction) => {
        if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
        const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
        if (type !== "application/json") {
            return next(new HttpError(415, "json-required", `Every write takes a JSON body: send Content-Type: application/json (got ${JSON.stringify(req.headers["content-type"] ?? "none")}).`));
        }
        const origin = req.headers.origin;
        // Browsers always send Origin on a POST; tools such as curl send none and carry a token anyway.
        if (origin !== undefined && !allowedOrigins(req, policy).has(origin)) {
            return next(new HttpError(403, "origin-not-allowed", `Writes from the origin ${JSON.stringify(origin)} are refused: only the portal's own pages may write (allowedOrigins in the access file).`));
        }
        if (origin === undefined && req.headers["sec-fetch-site"] === "cross-site") {
            return next(new HttpError(403, "origin-not-allowed", "A cross-site request cannot write."));
        }
        next();
    };
}

function allowedOrigins(req: Request, policy: HostPolicy): Set<string> {
    const port = req.socket.localPort;
    // Loopback pages come over plain HTTP; the portal's public names only over HTTPS (an origin on
    // the default port has no port: https://portal.example.com).
    const loopback = LOOPBACK_NAMES.map((name) => `http://${name}:${port}`);
    const named = policy.allowedHosts.map((host) => `https://${host.toLowerCase().replace(/:443$/, "")}`);
    return new Set([...loopback, ...named, ...policy.allowedOrigins]);
}

/** The page's headers: its own inline script and style only (by hash), no framing, no referrer, no sniffing. */
export function pageHeaders(html: string): Record<string, string> {
    const hashes = (tag: string) =>
        [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => `'sha256-${createHash("sha256").update(m[1]).digest("base64")}'`).join(" ");
    return {
        "Content-Security-Policy": [
            "default-src 'none'",
            `script-src ${hashes("script")}`,
            `style-src ${hashes("style")}`,
            // The diagram is fetched with the token and shown from a blob: URL.
            "img-src 'self' blob:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ].join("; "),
        ...API_HEADERS,
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    };
}

/** On every answer: never cached, never sniffed, never sent to another site's page. */
export const API_HEADERS: Record<string, string> = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
};
