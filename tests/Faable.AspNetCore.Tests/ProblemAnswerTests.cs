using Faable.AspNetCore.Internal;
using Faable.AspNetCore.Tests.Infrastructure;
using Faable.Shared;
using Faable.Tests.Shared;
using Microsoft.AspNetCore.Builder;

namespace Faable.AspNetCore.Tests;

/// <summary>
/// Every answer the resource server can give is a row of docs/problems.md, and real answers carry the one problem
/// shape with the documented type.
/// </summary>
public sealed class ProblemAnswerTests
{
    private const string Package = "Faable.AspNetCore";

    [Fact]
    public void Catalog_EveryReason_IsDocumentedWithItsTypeStatusAndError() =>
        ProblemDocument.AssertCatalogDocumented(Package, AuthErrors.All.Select(p => (p.Reason, p.Status, p.Error)));

    [Fact]
    public void Document_RowsOfThePackage_AreReasonsItCanAnswer() =>
        ProblemDocument.AssertRowsAnswerable(Package, AuthErrors.All.Select(p => p.Reason));

    [Fact]
    public void TypeOf_IsTheDocumentedPrefixAndTheReason_AndRefusesOtherSpellings()
    {
        Assert.Equal(ProblemDocument.TypePrefix + "wrong_audience", FaableProblem.TypeOf("wrong_audience"));
        Assert.Throws<ArgumentException>(() => FaableProblem.TypeOf("Wrong-Audience"));
        Assert.Throws<ArgumentException>(() => FaableProblem.TypeOf(string.Empty));
    }

    [Fact]
    public async Task Expired_OverHttp_AnswersTheDocumentedShapeAndKeepsTheChallenge()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, overHttp: true);
        var tokens = api.Tokens(TestKey.Shared(0));

        using var response = await api.GetAsync("/orders", tokens.Create(c => c["exp"] = tokens.Now - 3600));

        var body = await ProblemDocument.AssertAnswerAsync(response, Package, "expired");
        Assert.Equal("The token has expired.", body.GetProperty("title").GetString());
        Assert.False(body.TryGetProperty("error_description", out _));
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token has expired.\"", string.Join(", ", response.Headers.WwwAuthenticate));
    }

    [Fact]
    public async Task MissingToken_AnswersTheDocumentedShape()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant);

        using var response = await api.GetAsync("/orders", null);

        await ProblemDocument.AssertAnswerAsync(response, Package, "missing_token");
        Assert.Equal("Bearer", string.Join(", ", response.Headers.WwwAuthenticate));
    }

    [Fact]
    public async Task InsufficientScope_AnswersTheDocumentedShapeWithRequiredAndGranted()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant);

        using var response = await api.GetAsync("/orders/edit", api.Tokens(TestKey.Shared(0)).Create(c => c["scope"] = "read:orders"));

        var body = await ProblemDocument.AssertAnswerAsync(response, Package, "insufficient_scope");
        Assert.Equal(new[] { "read:orders", "write:orders" }, body.GetProperty("required").EnumerateArray().Select(e => e.GetString()!));
        Assert.Contains("read:orders", body.GetProperty("granted").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task TokenDoctor_NoToken_AnswersTheDocumentedShapeWithDetail()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, environment: "Development", map: app => app.MapFaableTokenDoctor());

        using var response = await api.Client.PostAsync("/_faable/token-doctor", new StringContent(string.Empty), TestContext.Current.CancellationToken);

        var body = await ProblemDocument.AssertAnswerAsync(response, Package, "no_token_to_examine");
        Assert.Contains("Authorization: Bearer", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
