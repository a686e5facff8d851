/**
 * @pulumi/pulumi's closure serializer, loaded only when something calls it.
 *
 * When the SDK loads, runtime/index.js copies three functions out of runtime/closure/serializeClosure.js and
 * runtime/closure/codePaths.js. Those two modules load TypeScript and npm's arborist and pacote: about 470 of the
 * pack's 870 modules, about 130 ms of its start-up, and about 250 ms of the offline check's CPU. The serializer
 * turns a JavaScript function into code for a dynamic provider or a callback function. A policy pack never does
 * that, and a program under mocks does it only if it declares one. So, before the SDK loads, each of the two
 * modules is registered as a stand-in holding the functions it exports. Calling one of them, or reading any other
 * member, loads the real module in its place.
 *
 * Nothing is deferred when the SDK is laid out differently: a file is missing, or it is already loaded. The list
 * of functions is checked against the installed SDK in test/policies/deferred-modules.test.ts.
 */
import * as fs from "fs";
import Module = require("module");
import * as path from "path";

/** The closure serializer's modules, relative to @pulumi/pulumi's folder, and the functions each one exports. */
export const CLOSURE_SERIALIZER_MODULES: Readonly<Record<string, readonly string[]>> = {
    "runtime/closure/serializeClosure.js": ["serializeFunction", "serializeFunctionAsync"],
    "runtime/closure/codePaths.js": ["computeCodePaths", "findWorkspaceRoot", "packageArchivePath"],
};

type Exports = Record<PropertyKey, unknown>;

/**
 * Registers a stand-in for the module at `file` (an absolute, real path) in require's cache. The stand-in holds
 * `functionNames` and nothing else. The real module loads the first time one of them is called, or any other
 * member is read. It is then in require's cache like any module. False, registering nothing, when the file
 * does not exist or is already loaded.
 */
export function deferModule(file: string, functionNames: readonly string[]): boolean {
    if (require.cache[file] || !fs.existsSync(file)) {
        return false;
    }
    let real: Exports | undefined;
    const load = (): Exports => {
        if (real === undefined) {
            delete require.cache[file];
            real = require(file) as Exports;
        }
        return real;
    };
    const standIns: Exports = {};
    for (const name of functionNames) {
        standIns[name] = function (this: unknown, ...args: unknown[]): unknown {
            return (load()[name] as (...a: unknown[]) => unknown).apply(this, args);
        };
    }
    const standIn = new Module(file);
    standIn.filename = file;
    standIn.loaded = true;
    // TypeScript's CommonJS interop (__importStar) uses a module marked __esModule as it is.
    standIn.exports = new Proxy(standIns, {
        get: (target, key) => key === "__esModule" ? true : real === undefined && Object.hasOwn(target, key) ? target[key] : load()[key],
        has: (_target, key) => key in load(),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (_target, key) => {
            const descriptor = Object.getOwnPropertyDescriptor(load(), key);
            // A proxy may not report a property the stand-in lacks as non-configurable.
            return descriptor && { ...descriptor, configurable: true };
        },
    });
    require.cache[file] = standIn;
    return true;
}

/**
 * Defers the closure serializer of the @pulumi/pulumi that `fromDirectory` resolves (the one its code loads).
 * Returns the files deferred: none when the SDK is not found there or its runtime has already loaded.
 */
export function deferClosureSerializer(fromDirectory: string): string[] {
    let sdkRoot: string;
    try {
        sdkRoot = path.dirname(fs.realpathSync(require.resolve("@pulumi/pulumi/package.json", { paths: [fromDirectory] })));
    } catch {
        return [];
    }
    return Object.entries(CLOSURE_SERIALIZER_MODULES)
        .map(([relative, functionNames]) => [path.join(sdkRoot, relative), functionNames] as const)
        .filter(([file, functionNames]) => deferModule(file, functionNames))
        .map(([file]) => file);
}
