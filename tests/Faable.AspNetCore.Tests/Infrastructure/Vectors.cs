using System.Text.Json;

namespace Faable.AspNetCore.Tests.Infrastructure;

/// <summary>Locates the Wycheproof vectors in <c>../shared/vectors</c> beside the repository.</summary>
internal static class Vectors
{
    public static JsonElement Load(string file)
    {
        var directory = Path.GetDirectoryName(typeof(Vectors).Assembly.Location)!;
        while (!File.Exists(Path.Combine(directory, "Faable.Extensions.sln")))
        {
            directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("Faable.Extensions.sln not found above the test assembly.");
        }

        var path = Path.Combine(directory, "..", "shared", "vectors", "wycheproof", file);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }
}
