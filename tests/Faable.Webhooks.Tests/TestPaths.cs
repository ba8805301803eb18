namespace Faable.Webhooks.Tests;

internal static class TestPaths
{
    public static string LocalVector(string name) => Path.Combine(AppContext.BaseDirectory, "Vectors", name);
}
