/**
 * @pulumi/pulumi's closure serializer, loaded only when something calls it.
 *
 * When the SDK loads, runtime/index.js copies three functions out of runtime/closure/serializeClosure.js and
 * runtime/closure/codePaths.js. Those two modules load npm's arborist and pacote, and TypeScript. In the pack that
 * is about 470 of its 870 modules and about 130 ms of its start-up (run-policy-pack has loaded TypeScript already,
 * for ts-node); in the offline check, about 250 ms of CPU, TypeScript included. The serializer turns a JavaScript
 * function into code for a dynamic provider or a callback function. A policy pack never does that, and a program
 * under mocks does it only if it declares one. So, before the SDK loads, each of the two modules is registered as
 * a stand-in holding the functions it exports. Calling one of them, or doing anything else with the module, loads
 * the real one in its place.
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
        const standInFunction = function (this: unknown, ...args: unknown[]): unknown {
            const loaded = load()[name];
            if (typeof loaded !== "function") {
                throw new Error(`${file} no longer exports a function ${name}: update CLOSURE_SERIALIZER_MODULES (policies/lib/deferred-modules.ts)`);
            }
            return loaded.apply(this, args);
        };
        Object.defineProperty(standInFunction, "name", { value: name });
        standIns[name] = standInFunction;
    }
    const standIn = new Module(file);
    standIn.filename = file;
    standIn.loaded = true;
    // TypeScript's CommonJS interop (__importStar) uses a module marked __esModule as it is. Anything but reading a
    // stand-in function goes to the real module (a test double replacing a function, for one, replaces the real one).
    standIn.exports = new Proxy(standIns, {
        get: (target, key) => key === "__esModule" ? true : real === undefined && Object.hasOwn(target, key) ? target[key] : load()[key],
        set: (_target, key, value) => Reflect.set(load(), key, value),
        defineProperty: (_target, key, descriptor) => Reflect.defineProperty(load(), key, descriptor),
        deleteProperty: (_target, key) => Reflect.deleteProperty(load(), key),
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
