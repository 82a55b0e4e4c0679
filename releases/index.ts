/**
 * The release account's Pulumi program: `pulumi up --stack tooling` from this folder creates the
 * release repositories its stack file names and shares them (stacks/releases.ts says why this is a
 * stack of its own). `npm run plan -- --program releases --stack tooling` plans it offline.
 */
import { releasesProgram } from "../stacks/releases";

export = releasesProgram;
