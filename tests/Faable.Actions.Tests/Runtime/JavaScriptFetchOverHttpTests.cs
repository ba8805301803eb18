using Faable.Actions.Internal.Js;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Faable.Actions.Tests.Runtime;

/// <summary><c>fetch</c> against a real HTTP server on 127.0.0.1 when the host opts in with a real handler.</summary>
public sealed class JavaScriptFetchOverHttpTests : IAsyncLifetime
{
    private static readonly JavaScriptActionRuntime s_runtime = new();
    private WebApplication? _app;
    private string _baseUrl = "";

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/risk/{userId}", (string userId, HttpRequest request) =>
            Results.Json(new { userId, score = userId == "user_123" ? 87 : 1, auth = request.Headers.Authorization.ToString() }));
        await _app.StartAsync(TestContext.Current.CancellationToken);
        _baseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Fetch_RealServer_ActionDecidesOnTheAnswer()
    {
        using var handler = new SocketsHttpHandler();
        var code = $$"""
            exports.onExecutePostLogin = async (event, api) => {
              const res = await fetch(`{{_baseUrl}}/risk/${event.user.user_id}`, { headers: { Authorization: 'Bearer risk-key' } })
              const { score, auth } = await res.json()
              if (score > 80) api.access.deny('Too risky.', { code: 'risk', details: { score, auth } })
            }
            """;

        var recorder = await RuntimeHarness.RunAsync(s_runtime, code, fetch: handler);

        Assert.Equal("Too risky.", recorder.Deny?.Reason);
        Assert.Equal(87, (int)recorder.Deny!.Details!["score"]!);
        Assert.Equal("Bearer risk-key", (string)recorder.Deny.Details["auth"]!);
    }
}
