using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrdersApi.Tests.Infrastructure;

namespace OrdersApi.Tests;

/// <summary>README's first command starts the sample, and the command it prints answers.</summary>
public sealed partial class ReadmeTests
{
    [Fact]
    public void Readme_FirstCommand_IsDotnetRunOfTheSample()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.SampleProject, "README.md"));

        var firstCommand = readme.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("dotnet ", StringComparison.Ordinal));

        Assert.Equal("dotnet run --project samples/OrdersApi", firstCommand);
    }

    [Fact]
    public async Task DotnetRun_PrintedMachineTokenCurl_Answers200WithOrders()
    {
        await using var sample = await SampleProcess.StartWithDotnetRunAsync();
        await sample.WaitForOutputAsync("3. Send a signed webhook", TimeSpan.FromSeconds(30));
        var printed = sample.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("TOKEN=$(curl", StringComparison.Ordinal));
        Assert.True(printed is not null, "No machine-token curl in the output:\n" + sample.Output);
        Assert.Contains(sample.Origin + "/orders", printed, StringComparison.Ordinal);

        var orders = File.Exists("/usr/bin/curl") && File.Exists("/bin/bash")
            ? await RunInBashAsync(printed)
            : await RunEquivalentAsync(printed);

        using var json = JsonDocument.Parse(orders);
        Assert.Contains(json.RootElement.EnumerateArray(), o => o.GetProperty("id").GetString() == "ord_1001");
    }

    private static async Task<string> RunInBashAsync(string command)
    {
        var info = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("set -o pipefail; " + command);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        // curl -f exits 22 on any HTTP status >= 400, so exit code 0 means both calls answered 2xx.
        Assert.True(process.ExitCode == 0, $"the printed command exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    // Without curl: the same two requests, with the values read from the printed command.
    private static async Task<string> RunEquivalentAsync(string command)
    {
        var match = CurlPattern().Match(command);
        Assert.True(match.Success, "Unexpected command shape: " + command);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, match.Groups["tokenUrl"].Value)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["audience"] = match.Groups["audience"].Value }),
        };
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(match.Groups["credentials"].Value)));
        using var tokenResponse = await http.SendAsync(tokenRequest, TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)tokenResponse.StatusCode);
        using var tokenJson = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var ordersRequest = new HttpRequestMessage(HttpMethod.Get, match.Groups["ordersUrl"].Value);
        ordersRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokenJson.RootElement.GetProperty("access_token").GetString());
        using var ordersResponse = await http.SendAsync(ordersRequest, TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)ordersResponse.StatusCode);
        return await ordersResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    [GeneratedRegex("-u (?<credentials>\\S+) .*-d audience=(?<audience>\\S+) (?<tokenUrl>\\S+/oauth/token) .*curl -sSf (?<ordersUrl>\\S+/orders) ")]
    private static partial Regex CurlPattern();
}
