using System.Net;
using Faable.AspNetCore.Internal;
using Faable.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Faable.AspNetCore.Tests;

/// <summary>
/// The authentication properties of a validated token carry its expiry as JwtBearer's do. They hold it without a
/// dictionary until one is needed; every reader and writer must see what a plain <see cref="AuthenticationProperties"/>
/// with the same <c>ExpiresUtc</c> shows.
/// </summary>
public sealed class TokenPropertiesTests
{
    private static readonly DateTimeOffset Expires = new(2026, 5, 12, 11, 0, 0, TimeSpan.Zero);

    // The key AuthenticationProperties keeps ExpiresUtc under.
    private static readonly string ExpiresKey = new AuthenticationProperties { ExpiresUtc = Expires }.Items.Keys.Single();

    [Fact]
    public async Task AuthenticatedRequest_PropertiesCarryTheTokensExpiry()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(
            tenant,
            map: app => app.MapGet("/expires", async (HttpContext context) =>
            {
                var result = await context.AuthenticateAsync();
                return $"{result.Properties!.ExpiresUtc:O} {result.Properties.Items.Count}";
            }).RequireScope("read:orders"));
        var tokens = api.Tokens(TestKey.Shared(0));
        var exp = tokens.Now + 1234;

        using var first = await api.GetAsync("/expires", tokens.Create(c => c["exp"] = exp));
        using var repeated = await api.GetAsync("/expires", tokens.Create(c => c["exp"] = exp));

        var expected = $"{DateTimeOffset.FromUnixTimeSeconds(exp):O} 1";
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(expected, await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(expected, await repeated.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Reads_AreThoseOfPlainProperties()
    {
        var plain = new AuthenticationProperties { ExpiresUtc = Expires };
        var lazy = ExpiryItems.Properties(ExpiryItems.Text(Expires));

        Assert.Equal(plain.ExpiresUtc, lazy.ExpiresUtc);
        Assert.Null(lazy.IssuedUtc);
        Assert.Equal(plain.Items.Count, lazy.Items.Count);
        Assert.Equal(plain.Items, lazy.Items);
        Assert.Equal(plain.Items.Keys, lazy.Items.Keys);
        Assert.True(lazy.Items.ContainsKey(ExpiresKey));
        Assert.False(lazy.Items.ContainsKey(".issued"));
        Assert.Equal(plain.Items[ExpiresKey], lazy.Items[ExpiresKey]);
        Assert.Throws<KeyNotFoundException>(() => lazy.Items[".issued"]);
        Assert.Equal(plain.Clone().Items, lazy.Clone().Items);
    }

    [Fact]
    public void Writes_BehaveAsOnPlainProperties()
    {
        var plain = new AuthenticationProperties { ExpiresUtc = Expires };
        var lazy = ExpiryItems.Properties(ExpiryItems.Text(Expires));

        foreach (var properties in new[] { plain, lazy })
        {
            properties.IsPersistent = true;
            properties.StoreTokens([new AuthenticationToken { Name = "access_token", Value = "t" }]);
            properties.ExpiresUtc = Expires.AddHours(1);
            properties.Items.Remove(".persistent");
        }

        Assert.Equal(plain.Items.OrderBy(i => i.Key), lazy.Items.OrderBy(i => i.Key));
        Assert.Equal("t", lazy.GetTokenValue("access_token"));

        lazy.ExpiresUtc = null;
        Assert.Null(lazy.ExpiresUtc);
        Assert.False(lazy.Items.ContainsKey(ExpiresKey));
    }

    [Fact]
    public void ExpiryRemovedFirst_LeavesNoItem()
    {
        var lazy = ExpiryItems.Properties(ExpiryItems.Text(Expires));

        lazy.ExpiresUtc = null;

        Assert.Empty(lazy.Items);
        Assert.False(lazy.Items.ContainsKey(ExpiresKey));
        Assert.Null(lazy.ExpiresUtc);
    }

    [Fact]
    public void Serialized_RoundTripsTheExpiry()
    {
        var lazy = ExpiryItems.Properties(ExpiryItems.Text(Expires));

        var read = PropertiesSerializer.Default.Deserialize(PropertiesSerializer.Default.Serialize(lazy))!;

        Assert.Equal(Expires, read.ExpiresUtc);
        Assert.Single(read.Items);
    }
}
