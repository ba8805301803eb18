using System.Reflection;

namespace OrdersApi.Tests.Infrastructure;

/// <summary>Where the repository and the built sample are.</summary>
internal static class RepoPaths
{
    public static string Root => Faable.Tests.Shared.RepositoryPaths.Root;

    public static string SampleProject => Path.Combine(Root, "samples", "OrdersApi");

    /// <summary>The build configuration this test assembly was built with; the sample is built with the same one.</summary>
    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The sample's own output folder (appsettings and actions next to the dll).</summary>
    public static string SampleOutput => Path.Combine(SampleProject, "bin", Configuration, "net10.0");

    public static string SampleDll => Path.Combine(SampleOutput, "OrdersApi.dll");
}
