using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Faable.Cli.Tests.Infrastructure;
using Faable.Webhooks.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Faable.Cli.Tests;

/// <summary><c>faable webhooks send</c> and <c>sign</c>, checked by the receiver users run: <c>MapFaableWebhooks</c>.</summary>
public sealed class WebhookCommandTests : IAsyncLifetime
{
    private const string Secret = "whsec_cli_tests_0123456789abcdef";
    private readonly ConcurrentQueue<UserCreated> _received = new();
    private TestApp? _app;

    private string HookUrl => _app!.Origin + "/hooks/faable";

    public async ValueTask InitializeAsync() =>
        _app = await TestApp.StartAsync(
            OrdersApi.Tests.Infrastructure.FreePort.Next(),
            services => services.AddFaableWebhooks(o => o.Secret = Secret).AddHandler<UserCreated>((e, _, _) =>
            {
                _received.Enqueue(e);
                return Task.CompletedTask;
            }),
            app => app.MapFaableWebhooks("/hooks/faable"));

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Send_UserCreated_IsVerifiedAndHandledByMapFaableWebhooks()
    {
        var result = await FaableTool.RunAsync("webhooks", "send", HookUrl, "--type", "user.created", "--secret", Secret,
            "--data", """{"user":{"user_id":"user_cli_1","email":"grace@example.com"}}""", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var output = JsonNode.Parse(result.Output)!;
        Assert.InRange(output["status"]!.GetValue<int>(), 200, 299);
        var delivery = output["delivery"]!.GetValue<string>();
        var handled = await WaitForAsync(() => _received.FirstOrDefault(e => e.Id == delivery));
        Assert.Equal("user_cli_1", handled.User.UserId);
        Assert.Equal("grace@example.com", handled.User.Email);
    }

    [Fact]
    public async Task Send_WrongSecret_IsRefusedByTheReceiverAndExitsOne()
    {
        var result = await FaableTool.RunAsync(["webhooks", "send", HookUrl, "--type", "user.created"], environment: new Dictionary<string, string>
        {
            [Faable.Cli.Webhooks.WebhookCommands.SecretVariable] = "whsec_not_the_receivers_secret",
        });

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("Answered 401", result.Output, StringComparison.Ordinal);
        Assert.Contains("does not retry", result.Output, StringComparison.Ordinal);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Empty(_received);
    }

    [Fact]
    public async Task Send_NothingListening_Exits69SayingSo()
    {
        var url = $"http://127.0.0.1:{OrdersApi.Tests.Infrastructure.FreePort.Next()}/hooks/faable";

        var result = await FaableTool.RunAsync("webhooks", "send", url, "--type", "user.created", "--secret", Secret);

        Assert.Equal(69, result.ExitCode);
        Assert.Contains("No answer", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_NotAnEventType_Exits64ListingTheTypes()
    {
        var result = await FaableTool.RunAsync("webhooks", "send", HookUrl, "--type", "UserCreated", "--secret", Secret);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("user.created, user.updated, user.deleted, auth.login", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_BodyOnStandardInput_PrintsTheHmacOfTimestampDotRawBytes()
    {
        const string body = "{\"id\":\"evt_0123\",\"type\":\"user.deleted\",  \"payload\":{\"user\":{\"user_id\":\"user_1\"}}}\n";

        var result = await FaableTool.RunAsync(["webhooks", "sign", "--secret", Secret, "--timestamp", "1751641200000"], stdin: body);

        Assert.True(result.ExitCode == 0, result.ToString());
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("1751641200000." + body)));
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            ["X-Faable-Timestamp: 1751641200000", "X-Faable-Signature: sha256=" + expected, "X-Faable-Event: user.deleted", "X-Faable-Delivery: evt_0123"],
            lines);
    }

    [Fact]
    public async Task Sign_TimestampInSeconds_Exits64SuggestingMilliseconds()
    {
        var result = await FaableTool.RunAsync(["webhooks", "sign", "--secret", Secret, "--timestamp", "1751641200"], stdin: "{}");

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("looks like seconds", result.Error, StringComparison.Ordinal);
        Assert.Contains("1751641200000", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_NoSecret_Exits64NamingBothWaysToGiveIt()
    {
        var result = await FaableTool.RunAsync(["webhooks", "sign"], stdin: "{}");

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("--secret", result.Error, StringComparison.Ordinal);
        Assert.Contains(Faable.Cli.Webhooks.WebhookCommands.SecretVariable, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_EmptyBody_Exits64()
    {
        var result = await FaableTool.RunAsync(["webhooks", "sign", "--secret", Secret], stdin: "");

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("empty", result.Error, StringComparison.Ordinal);
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
        where T : class
    {
        for (var i = 0; i < 100; i++)
        {
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail("The receiver did not handle the delivery within 10 seconds.");
        return null!;
    }
}
