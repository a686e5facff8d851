// `npm run check`'s entry. The check and the programs it runs are TypeScript, loaded through tsx's require hook.
// JavaScript loads slower under the hook (tsx scans every .js file it loads; the Pulumi SDK and the TypeScript
// compiler it requires take ~250 ms longer), so the check's own dependencies load before the hook and the SDK
// loads with the hook off once the pack has been spawned (the pack starts in parallel meanwhile), as does Ajv (for
// policy config, needed only once the pack answers): the pack's start-up is the check's critical path.
for (const dependency of [
    "@grpc/grpc-js", "google-protobuf/google/protobuf/struct_pb", "@pulumi/pulumi/proto/analyzer_grpc_pb",
    "commander", "yaml",
]) {
    require(dependency);
}
const tsx = require("tsx/cjs/api");

let unregister = tsx.register();
const { runAsCommand } = require("./index.ts");

runAsCommand(process.argv.slice(2), {
    loadSdk() {
        unregister();
        require("@pulumi/pulumi");
        require("ajv");
        require("ajv-formats");
        unregister = tsx.register();
    },
});
