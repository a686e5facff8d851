/**
 * Whether the text report is coloured, as Pulumi's CLI decides (pkg/cmd/pulumi: --color, then NO_COLOR, then an
 * interactive terminal), plus FORCE_COLOR as Node and chalk read it (set: colour; "0" or "false": none), which CI
 * systems set.
 */
export type ColorChoice = "auto" | "always" | "never";

export function useColor(choice: ColorChoice, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
    if (choice !== "auto") {
        return choice === "always"; // An explicit flag wins over the environment, as in Pulumi's CLI.
    }
    if (env.NO_COLOR !== undefined) {
        return false; // Pulumi honours NO_COLOR by presence, even when empty.
    }
    if (env.FORCE_COLOR !== undefined) {
        return !["0", "false"].includes(env.FORCE_COLOR);
    }
    return isTTY && env.TERM !== "dumb";
}
