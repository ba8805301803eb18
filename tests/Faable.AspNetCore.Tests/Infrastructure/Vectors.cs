using System.Text.Json;
using Faable.Tests.Shared;

namespace Faable.AspNetCore.Tests.Infrastructure;

/// <summary>Loads a Wycheproof vector file kept in the repository.</summary>
internal static class Vectors
{
    public static JsonElement Load(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(RepositoryPaths.WycheproofVector(file)));
        return document.RootElement.Clone();
    }
}
