#!/usr/bin/env node
"use strict";
/*
 * `npm run plan`: runs the plan from one bundle of its TypeScript sources, made by esbuild and
 * kept in node_modules/.cache. Plain Node running a bundle starts faster than a TypeScript loader
 * hooking every module; the bundle is remade only when one of its own inputs (esbuild's metafile)
 * is newer than it, so an unchanged checkout does not start esbuild at all.
 * Plain JavaScript because it is what turns the TypeScript into something Node can run.
 */
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const cache = path.join(root, "node_modules", ".cache", "fargate-service-plan");
const bundle = path.join(cache, "cli.js");
const inputsFile = path.join(cache, "inputs.json");

function bundleIsCurrent() {
    try {
        const made = fs.statSync(bundle).mtimeMs;
        const inputs = JSON.parse(fs.readFileSync(inputsFile, "utf8"));
        return Array.isArray(inputs) && inputs.length > 0 && inputs.every((input) => fs.statSync(path.join(root, input)).mtimeMs <= made);
    } catch {
        return false; // no bundle yet, or an input was removed
    }
}

if (!bundleIsCurrent()) {
    const result = require("esbuild").buildSync({
        absWorkingDir: root,
        entryPoints: ["plan/cli.ts"],
        bundle: true,
        platform: "node",
        target: "node20",
        packages: "external",
        keepNames: true,
        logLevel: "warning",
        outfile: bundle,
        metafile: true,
    });
    fs.writeFileSync(inputsFile, JSON.stringify(Object.keys(result.metafile.inputs)));
}

require(bundle)
    .main(process.argv.slice(2))
    .then((code) => {
        process.exitCode = code;
    });
