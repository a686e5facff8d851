/**
 * A listening loopback port whose connections wait until a server takes them (held only if one arrives before the
 * server attaches; launch.ts attaches it within the same turn as the spawn today). The engine's address goes on the
 * pack's command line, and the offline check spawns the pack before it loads gRPC: the pack's start-up is the
 * check's critical path, so the engine service attaches to this port afterwards (engine.ts).
 */
import * as net from "net";

export interface LoopbackListener {
    /** "127.0.0.1:<port>", as the engine passes its address to a plugin. */
    address: string;
    /** From now on every connection, the ones that arrived before first, goes to `accept`. */
    handTo(accept: (socket: net.Socket) => void): void;
    close(): void;
}

export async function listenOnLoopback(): Promise<LoopbackListener> {
    const waiting: net.Socket[] = [];
    let accept: ((socket: net.Socket) => void) | undefined;
    const server = net.createServer((socket) => {
        if (accept) {
            accept(socket);
        } else {
            // A held connection that its peer resets must not crash this process (no server handles it yet).
            socket.on("error", () => socket.destroy());
            waiting.push(socket);
        }
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    return {
        address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
        handTo(taker) {
            accept = taker;
            waiting.splice(0).forEach(taker);
        },
        close() {
            server.close();
            waiting.splice(0).forEach((socket) => socket.destroy());
        },
    };
}
