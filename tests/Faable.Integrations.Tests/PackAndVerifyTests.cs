using System.Diagnostics;

namespace Faable.Integrations.Tests;

public sealed class PackAndVerifyTests
{
    [Fact]
    public async Task Script_PacksAllPackagesAndBuildsTheSampleAgainstThem()
    {
        var root = Faable.Tests.Shared.RepositoryPaths.Root;
        var work = Directory.CreateTempSubdirectory("faable-pack-").FullName;
        try
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
            start.ArgumentList.Add(Path.Combine(root, "eng", "pack-and-verify.sh"));
            start.ArgumentList.Add(work);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(8), TestContext.Current.CancellationToken);

            var log = await output + await error;
            Assert.True(process.ExitCode == 0, log);
            Assert.Contains("== ok:", log, StringComparison.Ordinal);
            foreach (var package in new[] { "Faable.Redis", "Faable.AspNetCore", "Faable.Webhooks", "Faable.Actions", "Faable.Testing" })
            {
                Assert.Single(Directory.GetFiles(Path.Combine(work, "feed"), package + ".0.1.0-*.nupkg"));
            }

            Assert.Single(Directory.GetFiles(Path.Combine(work, "feed"), "Faable.Cli.0.1.0-*.nupkg"));
            Assert.Contains("ok   faable --help", log, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(work, "tools", "faable")));
            Assert.True(File.Exists(Path.Combine(work, "OrdersApi", "bin", "Release", "net10.0", "OrdersApi.dll")));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
