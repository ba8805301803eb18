namespace Faable.Webhooks.Tests;

internal static class TestPaths
{
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Faable.Extensions.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("Faable.Extensions.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string SharedVector(string relative) => Path.Combine(RepositoryRoot, "..", "shared", "vectors", relative);

    public static string LocalVector(string name) => Path.Combine(AppContext.BaseDirectory, "Vectors", name);
}
