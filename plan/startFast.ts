import { deferUnusedModules } from "./fastStart";

// Imported first by the plan's command, before anything loads zod or @pulumi/pulumi: what they
// load at start and a plan never uses (gRPC, the closure serializer, zod's translations) then
// loads only if used.
deferUnusedModules();
