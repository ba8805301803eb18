using System.Reflection;
using System.Text.Json;
using Faable.Tests.Shared;

namespace Faable.Integrations.Tests;

/// <summary>
/// Each package depends on what its code uses, and on nothing else: its declared dependencies (as restored, from the
/// project's <c>obj/project.assets.json</c>) are exactly the expected ones, and the compiled assembly references at
/// least one assembly of each. A dependency added without use, or left behind when its use goes, fails here.
/// </summary>
public sealed class PackageDependencyTests
{
    private const string AspNetCoreFramework = "Microsoft.AspNetCore.App";

    private static readonly Dictionary<string, (Assembly Assembly, string[] Packages, string[] Frameworks, string[] Projects)> Expected = new()
    {
        ["Faable.Redis"] = (typeof(Faable.Redis.FaableRedisOptions).Assembly, ["StackExchange.Redis"], [], []),
        ["Faable.AspNetCore"] = (
            typeof(Faable.AspNetCore.FaableAuthOptions).Assembly,
            ["Microsoft.AspNetCore.Authentication.JwtBearer", "System.IO.Hashing"],
            [AspNetCoreFramework],
            []),
        ["Faable.AspNetCore.OpenApi"] = (
            typeof(Faable.AspNetCore.OpenApi.FaableOpenApiSecurityOptions).Assembly,
            ["Microsoft.AspNetCore.OpenApi"],
            [AspNetCoreFramework],
            ["Faable.AspNetCore"]),
        ["Faable.Webhooks"] = (typeof(Faable.Webhooks.FaableWebhookOptions).Assembly, ["StackExchange.Redis"], [AspNetCoreFramework], ["Faable.Redis"]),
        ["Faable.Actions"] = (
            typeof(Faable.Actions.FaableActionsOptions).Assembly,
            [
                "Jint", "Microsoft.CodeAnalysis.CSharp.Scripting", "StackExchange.Redis",
                "Microsoft.Extensions.Configuration.Abstractions", "Microsoft.Extensions.DependencyInjection.Abstractions",
                "Microsoft.Extensions.Hosting.Abstractions", "Microsoft.Extensions.Logging.Abstractions",
                "Microsoft.Extensions.Options", "Microsoft.Extensions.Options.ConfigurationExtensions",
            ],
            [],
            ["Faable.Redis"]),
        ["Faable.Testing"] = (
            typeof(Faable.Testing.FaableTestTenant).Assembly,
            ["Microsoft.IdentityModel.JsonWebTokens"],
            [AspNetCoreFramework],
            ["Faable.Actions", "Faable.AspNetCore", "Faable.Webhooks"]),
    };

    public static TheoryData<string> Packages => [.. Expected.Keys];

    [Theory]
    [MemberData(nameof(Packages))]
    public void Package_DeclaresExactlyTheExpectedDependencies(string package)
    {
        var (_, packages, frameworks, projects) = Expected[package];
        var declared = Declared(package);

        Assert.Equal(packages.Order(StringComparer.Ordinal), declared.Packages.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(frameworks.Order(StringComparer.Ordinal), declared.Frameworks.Order(StringComparer.Ordinal));
        Assert.Equal(projects.Order(StringComparer.Ordinal), declared.Projects.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Package_UsesEveryDependencyItDeclares(string package)
    {
        var assembly = Expected[package].Assembly;
        var referenced = assembly.GetReferencedAssemblies().Select(a => a.Name!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var declared = Declared(package);
        var unused = new List<string>();

        var fromPackages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, assemblies) in declared.Packages)
        {
            fromPackages.UnionWith(assemblies);
            if (!assemblies.Overlaps(referenced))
            {
                unused.Add($"package {id} (provides {string.Join(", ", assemblies)})");
            }
        }

        unused.AddRange(declared.Projects.Where(p => !referenced.Contains(p)).Select(p => $"project {p}"));
        if (declared.Frameworks.Contains(AspNetCoreFramework))
        {
            // Used when an assembly of the shared framework is referenced that no declared package supplies.
            var framework = Directory.GetFiles(Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Http.HttpContext).Assembly.Location)!, "*.dll")
                .Select(Path.GetFileNameWithoutExtension)
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (!referenced.Any(r => framework.Contains(r) && !fromPackages.Contains(r)))
            {
                unused.Add($"framework {AspNetCoreFramework}");
            }
        }

        Assert.True(unused.Count == 0, $"{package} declares dependencies its code does not use: {string.Join("; ", unused)}.");
    }

    private static (Dictionary<string, HashSet<string>> Packages, List<string> Frameworks, List<string> Projects) Declared(string package)
    {
        var assets = Path.Combine(RepositoryPaths.Root, "src", package, "obj", "project.assets.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(assets));
        var root = document.RootElement;
        var project = root.GetProperty("project");
        var framework = project.GetProperty("frameworks").EnumerateObject().Single().Value;
        var targets = root.GetProperty("targets").EnumerateObject().Single().Value;

        var packages = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var dependency in framework.GetProperty("dependencies").EnumerateObject())
        {
            // Build-only packages (analyzers) are PrivateAssets="all": they do not flow to users.
            if (dependency.Value.TryGetProperty("suppressParent", out var suppress) && suppress.GetString() == "All")
            {
                continue;
            }

            var library = targets.EnumerateObject().Single(t => t.Name.StartsWith(dependency.Name + "/", StringComparison.OrdinalIgnoreCase)).Value;
            packages[dependency.Name] = library.TryGetProperty("compile", out var compile)
                ? compile.EnumerateObject().Select(c => Path.GetFileNameWithoutExtension(c.Name)).Where(n => n != "_").ToHashSet(StringComparer.OrdinalIgnoreCase)
                : [];
        }

        var frameworks = framework.TryGetProperty("frameworkReferences", out var references)
            ? references.EnumerateObject().Select(r => r.Name).Where(n => n != "Microsoft.NETCore.App").ToList()
            : [];
        var projects = project.GetProperty("restore").GetProperty("frameworks").EnumerateObject().Single().Value
            .TryGetProperty("projectReferences", out var projectReferences)
            ? projectReferences.EnumerateObject().Select(p => Path.GetFileNameWithoutExtension(p.Name)).ToList()
            : [];
        return (packages, frameworks, projects);
    }
}
