namespace Faable.Tests.Shared;

/// <summary>Where the repository is, seen from a test assembly, and the test vectors it keeps.</summary>
internal static class RepositoryPaths
{
    /// <summary>Gets the folder holding <c>Faable.Extensions.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A Wycheproof vector file kept in <c>tests/Shared/vectors/wycheproof</c>.</summary>
    /// <param name="file">The file name, e.g. <c>hmac_sha256_test.json</c>.</param>
    /// <returns>Its full path.</returns>
    public static string WycheproofVector(string file) => Path.Combine(Root, "tests", "Shared", "vectors", "wycheproof", file);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Faable.Extensions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Faable.Extensions.sln not found above " + AppContext.BaseDirectory);
    }
}
