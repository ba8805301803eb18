#!/usr/bin/env bash
# Rewrites every README code block marked `<!-- snippet: name -->` from its region in tests/Faable.Docs.Tests or
# tests/Faable.Docs.App (`// <snippet:name>` … `// </snippet:name>`), then checks them all.
# Edit the region (it compiles and its test runs), then run this script.
set -euo pipefail
cd "$(dirname "$0")/.."
FAABLE_UPDATE_SNIPPETS=1 dotnet test tests/Faable.Docs.Tests --filter "FullyQualifiedName~ReadmeSnippetTests" "$@"
