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
      "src/experiments/bmcal/rule-dates.js",
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
    // thrown as Error objects, nothing unused, and the core ESLint rules of eslint-plugin-mozilla's
    // recommended config (its mozilla/* rules need that plugin, which is not a dependency here).
    // Types: `// @ts-check` in each file, checked by tsconfig.experiment.json.
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
      // eslint-plugin-mozilla's recommended core rules:
      complexity: ["error", 34],
      "consistent-return": "error",
      "dot-notation": "error",
      "max-nested-callbacks": ["error", 10],
      "no-array-constructor": "error",
      "no-caller": "error",
      "no-console": ["error", { allow: ["createInstance", "error", "warn"] }],
      "no-else-return": "error",
      "no-empty": ["error", { allowEmptyCatch: true }],
      "no-eval": "error",
      "no-extra-bind": "error",
      "no-implied-eval": "error",
      "no-iterator": "error",
      "no-labels": "error",
      "no-lone-blocks": "error",
      "no-lonely-if": "error",
      "no-nested-ternary": "error",
      "no-new-wrappers": "error",
      "no-object-constructor": "error",
      "no-redeclare": ["error", { builtinGlobals: false }],
      "no-restricted-globals": ["error", "event"],
      "no-self-compare": "error",
      "no-sequences": "error",
      "no-unneeded-ternary": "error",
      "no-useless-call": "error",
      "no-useless-concat": "error",
      "no-useless-return": "error",
      "object-shorthand": ["error", "always", { avoidQuotes: true }],
    },
  },
);
