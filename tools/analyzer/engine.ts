/**
 * A minimal pulumirpc.Engine: the service whose address the engine hands a policy pack as its first argument.
 * It records Log calls and keeps the root resource; nothing else of the engine is needed by an analyzer.
 * Today nothing dials it: run-policy-pack drops the address (the SDK only reads PULUMI_NODEJS_ENGINE, which the
 * engine does not set for analyzers) and @pulumi/policy never logs through the engine, so a pack's console
 * output lands on its stdout/stderr. It is real so that whatever does dial finds an engine, not a closed port.
 */
import * as grpc from "@grpc/grpc-js";
import { type LoopbackListener, listenOnLoopback } from "./loopback-listener";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineProto from "@pulumi/pulumi/proto/engine_pb";

export type LogSeverity = "debug" | "info" | "warning" | "error";

export interface EngineLogEntry {
    severity: LogSeverity;
    message: string;
    urn: string;
}

export interface FakeEngine {
    /** "127.0.0.1:<port>", as the engine passes it on the plugin's command line. */
    address: string;
    /** Every Log call received, in order. */
    logs: EngineLogEntry[];
    close(): Promise<void>;
}

const SEVERITIES: Record<engineProto.LogSeverity, LogSeverity> = {
    [engineProto.LogSeverity.DEBUG]: "debug",
    [engineProto.LogSeverity.INFO]: "info",
    [engineProto.LogSeverity.WARNING]: "warning",
    [engineProto.LogSeverity.ERROR]: "error",
};

/** Starts the engine service on `listener` (one made for the purpose, on a free loopback port, by default). */
export async function startFakeEngine(listener?: LoopbackListener): Promise<FakeEngine> {
    const port = listener ?? (await listenOnLoopback());
    const logs: EngineLogEntry[] = [];
    let rootUrn = "";
    const implementation: engineRpc.IEngineServer = {
        log(call, callback) {
            const request = call.request;
            logs.push({ severity: SEVERITIES[request.getSeverity()], message: request.getMessage(), urn: request.getUrn() });
            callback(null, new Empty());
        },
        getRootResource(_call, callback) {
            callback(null, new engineProto.GetRootResourceResponse().setUrn(rootUrn));
        },
        setRootResource(call, callback) {
            rootUrn = call.request.getUrn();
            callback(null, new engineProto.SetRootResourceResponse());
        },
        startDebugging(_call, callback) {
            // No debugger is attached here; acknowledging lets a pack that asks carry on.
            callback(null, new Empty());
        },
        requirePulumiVersion(_call, callback) {
            callback(null, new engineProto.RequirePulumiVersionResponse());
        },
    };
    const server = new grpc.Server();
    server.addService(engineRpc.EngineService, implementation);
    const connections = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
    port.handTo((socket) => connections.injectConnection(socket));
    return {
        address: port.address,
        logs,
        // Forced: the pack is gone by the time this closes, and a graceful shutdown would wait on its idle channel.
        close: async () => {
            port.close();
            connections.destroy();
            server.forceShutdown();
        },
    };
}
