// ESLint flat config: typescript-eslint's recommended rules plus Pulumi's own rules (an Output inside a plain
// template literal renders as a warning string instead of its value; use pulumi.interpolate).
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "policies/node_modules/", "policies/bin/", "bench/fixtures/", "app/"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            // require() is deliberate where a module must load lazily or is untyped SDK internals.
            "@typescript-eslint/no-require-imports": "off",
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
    {
        files: ["**/*.js", "**/*.mjs"],
        languageOptions: { globals: { require: "readonly", module: "writable", __dirname: "readonly", process: "readonly", console: "readonly" } },
        // CommonJS entry points (tools/check/main.js) load modules with require by design.
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        // Foreign programs under test are plain CommonJS, as Pulumi's JavaScript templates write them.
        files: ["test/fixtures/programs/**/*.js"],
        languageOptions: { sourceType: "commonjs", globals: { exports: "writable" } },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
