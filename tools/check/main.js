// `npm run check`'s entry. The check and the programs it runs are TypeScript, loaded through tsx's require hook.
// The pack's start-up is the check's critical path, so only what spawning it needs loads first (the command line,
// YAML for the stack config, the check's own code); gRPC, the analyzer protocol and Ajv load once it is spawned, and
// the Pulumi SDK before the program runs. JavaScript loads slower under the hook (tsx scans every .js file it
// loads), so those load with the hook off. The SDK's closure serializer (TypeScript, npm's arborist) loads only
// if the program calls it, as in the pack (policies/lib/deferred-modules.ts); a program that does (a dynamic
// provider) then loads it under the hook, slower, but no program here does.
for (const dependency of ["commander", "yaml"]) {
    require(dependency);
}
const tsx = require("tsx/cjs/api");

let unregister = tsx.register();
const { runAsCommand } = require("./index.ts");
const { deferClosureSerializer } = require("../../policies/lib/deferred-modules.ts");

function loadWithoutHook(dependencies) {
    unregister();
    try {
        dependencies.forEach((dependency) => require(dependency));
    } finally {
        unregister = tsx.register();
    }
}

runAsCommand(process.argv.slice(2), {
    loadAnalyzerClient: () => loadWithoutHook([
        "@grpc/grpc-js", "google-protobuf/google/protobuf/struct_pb", "google-protobuf/google/protobuf/empty_pb",
        "@pulumi/pulumi/proto/analyzer_grpc_pb", "@pulumi/pulumi/proto/engine_grpc_pb", "ajv", "ajv-formats",
    ]),
    loadSdk: () => {
        deferClosureSerializer(__dirname);
        loadWithoutHook(["@pulumi/pulumi"]);
    },
});
