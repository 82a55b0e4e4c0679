/**
 * The Pulumi program: one environment per stack, decided by `Pulumi.<stack>.yaml` alone.
 * `pulumi up --stack dev` and `pulumi up --stack prod`; `npm run plan -- dev` runs it offline.
 */
import { environmentProgram } from "./stacks/program";

export = environmentProgram;
