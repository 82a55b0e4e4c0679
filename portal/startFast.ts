import { deferUnusedModules } from "../plan/fastStart";

// Imported first by the portal, before anything loads @pulumi/pulumi: the portal serializes no
// function, so the SDK's closure serializer (half a second, 80 MB) is loaded only if ever used.
deferUnusedModules();
