/**
 * Drives a CrossGuard policy pack over the real pulumirpc.Analyzer protocol, the way the Pulumi engine does,
 * without the Pulumi CLI.
 *
 *   const pack = await launchPolicyPack("policies", { config: { "all": "advisory" } });
 *   try {
 *       const diagnostics = await pack.client.analyzeAll(checked, outputs); // Remediate + Analyze each, then AnalyzeStack
 *   } finally {
 *       await pack.close();
 *   }
 *
 * - launch.ts: spawn + port + engine opening calls (launchPolicyPack)
 * - client.ts: typed Analyzer calls (PolicyPackClient) and the resource/diagnostic shapes
 * - config.ts: `--policy-pack-config` reconciliation and validation
 * - properties.ts: plain JS → Struct as the engine marshals it (UNKNOWN, secret())
 * - engine.ts: the minimal Engine service whose address the pack receives
 * - loopback-listener.ts: that address, listening before gRPC loads (the pack is spawned first; the service attaches later)
 * - engine-shape.ts: what the engine would send for a program's registrations (Check output, outputs, Stack and
 *   providers); imported directly, as it is only needed where a program was run
 */
export * from "./client";
export * from "./config";
export * from "./engine";
export * from "./launch";
export * from "./properties";
