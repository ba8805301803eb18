using System.Net;
using System.Text;
using System.Text.Json;
using Faable.Shared;
using Faable.Testing.Internal;
using Faable.Tests.Shared;

namespace Faable.Testing.Tests;

/// <summary>
/// The local tenant's own endpoints answer with the one problem shape, every reason documented; its OAuth endpoints
/// keep the RFC 6749 §5.2 error object OAuth clients parse.
/// </summary>
public sealed class LocalTenantProblemTests : IAsyncLifetime
{
    private const string Package = "Faable.Testing";
    private LocalTenantHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await LocalTenantHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void Catalog_EveryReason_IsDocumentedWithItsTypeStatusAndError() =>
        ProblemDocument.AssertCatalogDocumented(Package, LocalTenantProblems.All.Select(p => (p.Reason, p.Status, p.Error)));

    [Fact]
    public void Document_RowsOfThePackage_AreReasonsItCanAnswer() =>
        ProblemDocument.AssertRowsAnswerable(Package, LocalTenantProblems.All.Select(p => p.Reason));

    [Fact]
    public async Task SendEndpoint_UnknownUser_AnswersTheDocumentedProblemNamingTheUser()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "_faable/dev/webhooks/send")
        {
            Content = new StringContent("""{"type":"user.updated","user_id":"user_nobody"}""", Encoding.UTF8, "application/json"),
        };

        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        var problem = await ProblemDocument.AssertAnswerAsync(response, Package, "send_unknown_user");
        Assert.Contains("user_nobody", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenEndpoint_Error_KeepsTheOAuthErrorObject()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "_faable/oauth/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "password")]),
        };

        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        // RFC 6749 §5.2: application/json with error and error_description, no problem members.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["error", "error_description"], body.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("unsupported_grant_type", body.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task UserInfo_NoToken_KeepsTheBearerChallengeAndOAuthErrorObject()
    {
        using var response = await _host.Client.GetAsync("_faable/userinfo", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["error", "error_description"], body.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
    }
}
