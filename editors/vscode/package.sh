#!/usr/bin/env bash
# Build editors/vscode/slint-serverless.vsix from a clean checkout: exact dependency versions
# from package-lock.json, then @vscode/vsce.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npx --no-install vsce package --no-yarn --out slint-serverless.vsix
echo "built $(pwd)/slint-serverless.vsix"
