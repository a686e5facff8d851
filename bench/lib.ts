/** What the benchmarks share: fixture packs borrowing the real pack's node_modules, and medians. */
import * as fs from "fs";
import * as path from "path";

const POLICIES_DIR = path.resolve(__dirname, "..", "policies");

/**
 * Gives each fixture policies/node_modules (same @pulumi/policy and @pulumi/pulumi as the real pack) for the
 * run; returns the undo, which also runs if the process exits early. A link left by an interrupted run is
 * replaced; a real node_modules directory is left alone.
 */
export function linkPolicyNodeModules(fixtureDirs: string[]): () => void {
    const created = fixtureDirs
        .map((dir) => path.join(dir, "node_modules"))
        .filter((link) => !fs.existsSync(link) || fs.lstatSync(link).isSymbolicLink())
        .map((link) => {
            fs.rmSync(link, { force: true });
            fs.symlinkSync(path.relative(path.dirname(link), path.join(POLICIES_DIR, "node_modules")), link, "dir");
            return link;
        });
    const unlink = () => created.splice(0).forEach((link) => fs.rmSync(link, { force: true }));
    process.once("exit", unlink);
    return unlink;
}

export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
