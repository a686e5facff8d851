/**
 * The engine service whose address a pack gets on its command line (tools/analyzer/engine.ts). The offline check
 * hands the pack that address before gRPC has loaded (the pack's start-up is its critical path), so the service
 * attaches to an already listening port: nothing that dials it early may be lost.
 */
import * as grpc from "@grpc/grpc-js";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import { expect } from "chai";
import * as net from "net";
import { startFakeEngine } from "../../tools/analyzer/engine";
import { listenOnLoopback } from "../../tools/analyzer/loopback-listener";

function log(client: engineRpc.EngineClient, message: string): Promise<grpc.ServiceError | null> {
    const request = new engineProto.LogRequest().setSeverity(engineProto.LogSeverity.WARNING).setMessage(message);
    return new Promise((resolve) => client.log(request, new grpc.Metadata(), { deadline: Date.now() + 10_000 }, (error) => resolve(error)));
}

describe("the engine service a pack is given", function () {
    it("answers a call made to its address before the service attached, once it does", async function () {
        const listener = await listenOnLoopback();
        const client = new engineRpc.EngineClient(listener.address, grpc.credentials.createInsecure());
        try {
            const early = log(client, "dialled before the engine attached");
            // Long enough for the connection to be accepted and held by the listener.
            await new Promise((resolve) => setTimeout(resolve, 100));
            const engine = await startFakeEngine(listener);
            try {
                expect(await early).to.equal(null);
                expect(await log(client, "after")).to.equal(null);
                expect(engine.logs).to.deep.equal([
                    { severity: "warning", message: "dialled before the engine attached", urn: "" },
                    { severity: "warning", message: "after", urn: "" },
                ]);
            } finally {
                await engine.close();
            }
        } finally {
            client.close();
        }
    });

    it("stops listening when closed", async function () {
        const engine = await startFakeEngine();
        await engine.close();
        const [host, port] = engine.address.split(":");
        const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
            const socket = net.connect(Number(port), host, () => {
                socket.destroy();
                resolve(undefined);
            });
            socket.on("error", (e) => resolve(e));
        });
        expect(error?.code, "the port still accepts connections").to.equal("ECONNREFUSED");
    });
});
