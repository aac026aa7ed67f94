// entropy-lint's language server in VS Code: `npm install` in this folder, then run it with
// "Developer: Install Extension from Location..." (or copy the folder into ~/.vscode/extensions).
// The server speaks LSP over stdio; this client only starts it for the languages it lints.
"use strict";
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

const LANGUAGES = ["python", "c", "cpp", "javascript", "javascriptreact", "typescript", "typescriptreact", "java", "go",
  "php", "ruby"];
let client;

function activate() {
  const settings = vscode.workspace.getConfiguration("entropyLint");
  const server = { command: settings.get("command"), args: settings.get("args"), transport: TransportKind.stdio };
  client = new LanguageClient("entropy-lint", "entropy-lint", { run: server, debug: server }, {
    documentSelector: LANGUAGES.flatMap((language) => [{ scheme: "file", language }, { scheme: "untitled", language }]),
  });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
