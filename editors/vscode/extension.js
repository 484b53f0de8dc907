// Starts `slint server` (LSP over stdio) for YAML and JSON files. slint itself decides, by
// content, which documents are CloudFormation/SAM templates; others get no diagnostics.
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const cmd = vscode.workspace.getConfiguration('slint').get('path') || ['slint'];
  const serverOptions = {
    command: cmd[0],
    args: [...cmd.slice(1), 'server'],
    transport: TransportKind.stdio,
  };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'json' },
    ],
  };
  client = new LanguageClient('slint', 'slint', serverOptions, clientOptions);
  client.start();
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
