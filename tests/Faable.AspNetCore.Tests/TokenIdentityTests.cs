using System.Security.Claims;
using Faable.AspNetCore.Internal;
using Faable.AspNetCore.Tests.Infrastructure;

namespace Faable.AspNetCore.Tests;

/// <summary>
/// The identity of a validated token makes its claims when first read; every way of reading, changing, copying or
/// serializing claims must see exactly the token's claims, in order, once.
/// </summary>
public sealed class TokenIdentityTests
{
    private const string Issuer = "https://acme.auth.faable.link";

    private static ValidatedToken Token() => new(
        JwksParser.Parse(System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { keys = new[] { TestKey.Shared(0).ToJwk() } })), [])!.Values.Single(),
        Issuer,
        ApiHost.Start.AddHours(1),
        null,
        [new("sub", "user_1", ClaimValueTypes.String), new("scope", "read:orders write:orders", ClaimValueTypes.String), new("roles", "admin", ClaimValueTypes.String), new("roles", "ops", ClaimValueTypes.String)]);

    [Fact]
    public void EveryReader_SeesTheTokenClaimsOnce()
    {
        var identity = Token().CreateIdentity();

        Assert.Equal("user_1", identity.FindFirst("sub")?.Value);
        Assert.Equal("user_1", identity.Name);
        Assert.True(identity.HasClaim("roles", "ops"));
        Assert.True(new ClaimsPrincipal(identity).IsInRole("admin"));
        Assert.Equal(["admin", "ops"], identity.FindAll("roles").Select(c => c.Value));
        Assert.Equal(["sub", "scope", "roles", "roles"], identity.Claims.Select(c => c.Type));
        Assert.All(identity.Claims, c => Assert.Same(identity, c.Subject));
        Assert.All(identity.Claims, c => Assert.Equal(Issuer, c.Issuer));
    }

    [Fact]
    public void FirstReadIsFindFirst_ThenClaims_NoDuplicates()
    {
        var identity = Token().CreateIdentity();

        Assert.NotNull(identity.FindFirst(c => c.Type == "scope"));
        Assert.Equal(4, identity.Claims.Count());
        Assert.Equal(4, identity.Claims.Count());
    }

    [Fact]
    public void AddOrRemoveBeforeAnyRead_KeepsTheTokenClaims()
    {
        var added = Token().CreateIdentity();
        added.AddClaim(new Claim("tenant", "acme"));
        var removed = Token().CreateIdentity();
        Assert.True(removed.TryRemoveClaim(removed.FindFirst("roles")));

        Assert.Equal(["sub", "scope", "roles", "roles", "tenant"], added.Claims.Select(c => c.Type));
        Assert.Equal(["sub", "scope", "roles"], removed.Claims.Select(c => c.Type));
        Assert.False(new ClaimsPrincipal(removed).IsInRole("admin"));
        Assert.True(new ClaimsPrincipal(removed).IsInRole("ops"));
    }

    [Fact]
    public void CloneBeforeAnyRead_HasAllClaims()
    {
        var identity = Token().CreateIdentity();

        var copy = identity.Clone();

        Assert.Equal(4, copy.Claims.Count());
        Assert.Equal(4, identity.Claims.Count());
        Assert.Equal("user_1", copy.Name);
    }

    [Fact]
    public void SerializedBeforeAnyRead_RoundTripsEveryClaim()
    {
        var principal = new ClaimsPrincipal(Token().CreateIdentity());
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            principal.WriteTo(writer);
        }

        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        var read = new ClaimsPrincipal(reader);

        Assert.Equal(["sub", "scope", "roles", "roles"], read.Claims.Select(c => c.Type));
    }

    [Fact]
    public void TicketSerializer_BeforeAnyRead_WritesEveryClaim()
    {
        var ticket = new Microsoft.AspNetCore.Authentication.AuthenticationTicket(new ClaimsPrincipal(Token().CreateIdentity()), "Faable");

        var bytes = Microsoft.AspNetCore.Authentication.TicketSerializer.Default.Serialize(ticket);
        var read = Microsoft.AspNetCore.Authentication.TicketSerializer.Default.Deserialize(bytes)!;

        Assert.Equal(["sub", "scope", "roles", "roles"], read.Principal.Claims.Select(c => c.Type));
    }

    [Fact]
    public async Task ReadFromManyThreadsAtOnce_ClaimsMadeOnce()
    {
        for (var round = 0; round < 200; round++)
        {
            var identity = Token().CreateIdentity();
            using var start = new Barrier(4);
            var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait(TestContext.Current.CancellationToken);
                return identity.Claims.Count();
            }, TestContext.Current.CancellationToken)));

            Assert.All(counts, c => Assert.Equal(4, c));
            Assert.Equal(4, identity.Claims.Count());
        }
    }
}
