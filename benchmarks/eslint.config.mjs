// ESLint flat config for the precision benchmark (benchmarks/peers.py copies it beside its
// node_modules): eslint-plugin-security's rules and nothing else, on JS and (through the
// typescript-eslint parser) TS, so that what ESLint reports is what the plugin reports.
import security from "eslint-plugin-security";
import tseslint from "typescript-eslint";

const rules = Object.fromEntries(Object.keys(security.rules).map((name) => [`security/${name}`, "warn"]));

export default [
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs", "**/*.jsx"],
    languageOptions: { ecmaVersion: "latest", sourceType: "module" },
    plugins: { security },
    rules,
  },
  {
    files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"],
    languageOptions: { parser: tseslint.parser },
    plugins: { security },
    rules,
  },
];
