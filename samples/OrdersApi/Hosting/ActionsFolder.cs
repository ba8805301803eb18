namespace OrdersApi.Hosting;

/// <summary>
/// The <c>actions/</c> folder the local tenant loads. Its scripts name the sample's default address,
/// <see cref="DefaultOrigin"/>, as a deployed action names its application's domain. When the sample listens
/// elsewhere (another port, a test run), the tenant loads a copy in which that origin is replaced.
/// </summary>
public static class ActionsFolder
{
    /// <summary>The origin written in the scripts (the launch profile's address).</summary>
    public const string DefaultOrigin = "http://localhost:5080";

    /// <summary>Returns the folder to load for an application served at <paramref name="publicOrigin"/>.</summary>
    public static string Prepare(string publicOrigin)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "actions");
        if (string.Equals(publicOrigin, DefaultOrigin, StringComparison.Ordinal) || !Directory.Exists(source))
        {
            return source;
        }

        var target = Path.Combine(Path.GetTempPath(), "ordersapi-actions", Uri.EscapeDataString(publicOrigin).Replace('%', '_'));
        Directory.CreateDirectory(target);
        foreach (var stale in Directory.EnumerateFiles(target))
        {
            File.Delete(stale);
        }

        foreach (var file in Directory.EnumerateFiles(source))
        {
            var text = File.ReadAllText(file).Replace(DefaultOrigin, publicOrigin, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(target, Path.GetFileName(file)), text);
        }

        return target;
    }
}
