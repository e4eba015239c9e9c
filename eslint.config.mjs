// Lint for defects, not style (prettier formats): promises nobody awaits or handles, and imports of packages
// the code's package does not declare. Typed rules read the TypeScript program (tsconfig.json).
import importX from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

/** The library's own code: what users install runs with their packages, so only peer dependencies. */
const LIBRARY = ["constructs/**/*.ts", "contract/**/*.ts", "custom-provider/**/*.ts"];

export default tseslint.config(
  {
    // The handler's text module is generated (npm run build:handler): one string, nothing to lint.
    ignores: ["node_modules/", "cdktf.out/", "dist/", "lib/", "coverage/", "**/*.js", "**/*.mjs", "**/*.cjs", "constructs/private/handler-text.generated.ts"],
  },
  {
    files: ["**/*.ts"],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@typescript-eslint": tseslint.plugin, "import-x": importX },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "import-x/no-extraneous-dependencies": ["error", { devDependencies: true, peerDependencies: true }],
    },
  },
  {
    files: LIBRARY,
    rules: { "import-x/no-extraneous-dependencies": ["error", { devDependencies: false, peerDependencies: true, optionalDependencies: false }] },
  },
);
