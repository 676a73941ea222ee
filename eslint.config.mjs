// eslint: type-checked rules for our TypeScript (the add-on, the reference server, the tools,
// the tests), and Mozilla-style rules for the experiment's privileged JavaScript, which runs
// in Thunderbird's parent process with its own globals.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      ".tmp/**",
      "src/experiments/bmcal/cache-plan.js",
      "src/experiments/bmcal/ics-blocks.js",
      "src/vendor/**",
    ],
  },
  {
    files: ["**/*.ts"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // Tests read BlueMind's JSON answers as the server sends them (untyped on purpose: they check
    // the shapes), and their fakes implement promise-returning interfaces with async methods that
    // need not wait for anything; the rest of the type-checked rules stay.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // The experiment: privileged scripts loaded into Thunderbird's parent process (parent.js as
    // an ExtensionAPI, the others with loadSubScript into one scope). Mozilla's own style: its
    // globals, `==` allowed (as in Thunderbird's code), braces always, no shadowing, errors
    // thrown as Error objects, nothing unused.
    files: ["src/experiments/**/*.js"],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: "script",
      globals: {
        ...globals.browser,
        ChromeUtils: "readonly",
        Services: "readonly",
        Cc: "readonly",
        Ci: "readonly",
        Cr: "readonly",
        Cu: "readonly",
        Components: "readonly",
        ExtensionAPI: "readonly",
        IOUtils: "readonly",
        PathUtils: "readonly",
      },
    },
    rules: {
      curly: ["error", "all"],
      "no-shadow": "error",
      "no-throw-literal": "error",
      "no-unused-vars": ["error", { args: "none", vars: "local", caughtErrors: "none" }],
      "no-var": "off",
      "prefer-const": "error",
      "no-redeclare": "off",
    },
  },
);
