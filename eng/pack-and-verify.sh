#!/usr/bin/env bash
# Packs the six packages into a local folder feed, checks what each package holds (metadata, README, XML docs),
# then builds a copy of samples/OrdersApi that references the packed packages instead of the projects.
# Packs the faable .NET tool (tools/Faable.Cli) too, installs it from the feed into a temporary tool path and runs
# `faable --help`.
# Fails on the first error. Usage: eng/pack-and-verify.sh [work-dir]   (default: a new temp directory, removed at the end)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${1:-}
cleanup=0
if [ -z "$work" ]; then work=$(mktemp -d); cleanup=1; fi
mkdir -p "$work"
if [ "$cleanup" = 1 ]; then trap 'rm -rf "$work"' EXIT; fi
feed="$work/feed"
app="$work/OrdersApi"
mkdir -p "$feed"
version=${PACK_VERSION:-0.1.0-verify.$(date -u +%Y%m%d%H%M%S)}
packages=(Faable.Redis Faable.AspNetCore Faable.AspNetCore.OpenApi Faable.Webhooks Faable.Actions Faable.Testing)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== pack $version into $feed"
for p in "${packages[@]}"; do
  # The public API analyzers run as errors: an out-of-date PublicAPI.Unshipped.txt fails here.
  dotnet pack "$root/src/$p/$p.csproj" -c Release -o "$feed" -p:Version="$version" -p:ContinuousIntegrationBuild=true --nologo -v:q
done

echo "== inspect the packages"
python3 - "$feed" "$version" "${packages[@]}" <<'PY'
import sys, zipfile, re
feed, version, names = sys.argv[1], sys.argv[2], sys.argv[3:]
failed = False
for name in names:
    path = f"{feed}/{name}.{version}.nupkg"
    try:
        z = zipfile.ZipFile(path)
    except FileNotFoundError:
        print(f"MISSING {path}"); failed = True; continue
    files = set(z.namelist())
    nuspec = z.read(f"{name}.nuspec").decode()
    problems = []
    for required in ["README.md", f"lib/net10.0/{name}.dll", f"lib/net10.0/{name}.xml"]:
        if required not in files:
            problems.append(f"no {required}")
    for tag in ["description", "authors", "license", "readme", "tags"]:
        if not re.search(rf"<{tag}[ >]", nuspec):
            problems.append(f"no <{tag}> in the nuspec")
    if f"<version>{version}</version>" not in nuspec:
        problems.append("wrong version")
    readme = z.read("README.md").decode() if "README.md" in files else ""
    if f"# {name}" not in readme:
        problems.append("README.md is not this package's README")
    xml = z.read(f"lib/net10.0/{name}.xml").decode() if f"lib/net10.0/{name}.xml" in files else ""
    # Faable.Redis holds one options type; the others hold whole APIs.
    if xml.count("<member ") < (4 if name == "Faable.Redis" else 10):
        problems.append("XML documentation is nearly empty")
    # Which dependencies a package declares is tested from the projects (PackageDependencyTests); here only what
    # packing adds: a package compiled against another's internals depends on exactly that version.
    deps = dict(re.findall(r'<dependency id="([^"]+)" version="([^"]+)"', nuspec))
    if name == "Faable.AspNetCore.OpenApi" and deps.get("Faable.AspNetCore") != f"[{version}]":
        problems.append(f"depends on Faable.AspNetCore {deps.get('Faable.AspNetCore')}, not exactly [{version}]")
    if name == "Faable.AspNetCore" and "Microsoft.AspNetCore.OpenApi" in deps:
        problems.append("depends on Microsoft.AspNetCore.OpenApi (that is Faable.AspNetCore.OpenApi's dependency)")
    print(f"{'FAIL' if problems else 'ok  '} {name}.{version}.nupkg ({len(files)} files){': ' + '; '.join(problems) if problems else ''}")
    failed |= bool(problems)
sys.exit(1 if failed else 0)
PY

echo "== pack the faable tool, install it from the feed, run it"
dotnet pack "$root/tools/Faable.Cli/Faable.Cli.csproj" -c Release -o "$feed" -p:Version="$version" -p:ContinuousIntegrationBuild=true --nologo -v:q
python3 - "$feed/Faable.Cli.$version.nupkg" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
nuspec = z.read("Faable.Cli.nuspec").decode()
settings = "tools/net10.0/any/DotnetToolSettings.xml"
problems = [m for m, ok in [
    ("not a DotnetTool package", '<packageType name="DotnetTool"' in nuspec),
    ("no README.md", "README.md" in names),
    (f"no {settings}", settings in names),
] if not ok]
if settings in names and 'Name="faable"' not in z.read(settings).decode():
    problems.append("the command is not named faable")
print(("FAIL " + "; ".join(problems)) if problems else f"ok   {sys.argv[1].rsplit('/', 1)[-1]} ({len(names)} files)")
sys.exit(1 if problems else 0)
PY
tools="$work/tools"
dotnet tool install Faable.Cli --version "$version" --tool-path "$tools" --add-source "$feed" >/dev/null
help=$("$tools/faable" --help)
grep -q "Usage:" <<<"$help" || { echo "FAIL: the installed faable --help printed no usage"; exit 1; }
echo "ok   faable --help from $tools"

echo "== build a copy of samples/OrdersApi against the packages"
mkdir -p "$app"
tar -C "$root/samples/OrdersApi" --exclude=./bin --exclude=./obj --exclude='*.csproj' -cf - . | tar -C "$app" -xf -
refs=""
for p in "${packages[@]}"; do refs+="    <PackageReference Include=\"$p\" Version=\"$version\" />"$'\n'; done
# The sample's own package references (Microsoft.AspNetCore.OpenApi, for its source generator), at the pinned versions.
for p in $(sed -nE 's/.*<PackageReference Include="([^"]+)".*/\1/p' "$root/samples/OrdersApi/OrdersApi.csproj"); do
  v=$(sed -nE "s/.*<PackageVersion Include=\"$p\" Version=\"([^\"]+)\".*/\1/p" "$root/Directory.Packages.props")
  [ -n "$v" ] || { echo "FAIL: samples/OrdersApi references $p, which Directory.Packages.props does not pin"; exit 1; }
  refs+="    <PackageReference Include=\"$p\" Version=\"$v\" />"$'\n'
done
cat > "$app/OrdersApi.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <RootNamespace>OrdersApi</RootNamespace>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <!-- NU1603: the registry serves a newer patch of a transitive dependency than the lowest one asked for. -->
    <NoWarn>\$(NoWarn);NU1603</NoWarn>
    <NuGetAudit>false</NuGetAudit>
  </PropertyGroup>
  <ItemGroup>
$refs  </ItemGroup>
  <ItemGroup>
    <Content Include="actions/**" CopyToOutputDirectory="PreserveNewest" />
  </ItemGroup>
</Project>
XML
# Stop MSBuild and NuGet from picking up anything above the copy.
echo '<Project />' > "$work/Directory.Build.props"
echo '<Project />' > "$work/Directory.Build.targets"
echo '<Project />' > "$work/Directory.Packages.props"
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local-feed" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local-feed"><package pattern="Faable.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
cp "$root/global.json" "$work/" 2>/dev/null || true
dotnet build "$app/OrdersApi.csproj" -c Release --nologo -v:q
# The copy must really use the packages, not the repository's projects.
grep -q "\"Faable.AspNetCore/$version\"" "$app/obj/project.assets.json"
echo "== ok: ${packages[*]} Faable.Cli $version packed, inspected, the tool installed and run, and OrdersApi built against them"
