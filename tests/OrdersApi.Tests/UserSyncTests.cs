using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Faable.Webhooks;
using OrdersApi.Tests.Infrastructure;

namespace OrdersApi.Tests;

/// <summary>
/// The users table behind <c>GET /users</c>, fed by <c>/hooks/faable</c>: deliveries signed by the local tenant are
/// verified and applied; forged ones are refused.
/// </summary>
[Collection(SampleGroup.Name)]
public sealed class UserSyncTests(SampleFixture sample)
{
    private const string DevelopmentSecret = "whsec_orders_development_only_3f9a1c";
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Webhooks_UserCreatedThenUpdated_TableHoldsTheUpdatedUser()
    {
        var userId = "user_" + Guid.NewGuid().ToString("N")[..24];

        await SendThroughTenantAsync("user.created", userId, email: null, name: "Katherine Johnson");
        await sample.WaitForUsersAsync(users => SampleFixture.FindUser(users, userId) is { } u && u.GetProperty("lastEvent").GetString() == "user.created", SyncTimeout);
        await SendThroughTenantAsync("user.updated", userId, email: "katherine@example.com", name: "Katherine Johnson");

        var table = await sample.WaitForUsersAsync(users => SampleFixture.FindUser(users, userId) is { } u && u.GetProperty("lastEvent").GetString() == "user.updated", SyncTimeout);
        var user = SampleFixture.FindUser(table, userId)!.Value;
        Assert.Equal("katherine@example.com", user.GetProperty("email").GetString());
        Assert.Equal("Katherine Johnson", user.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Webhooks_UserDeleted_RemovesTheUser()
    {
        var userId = "user_" + Guid.NewGuid().ToString("N")[..24];
        await SendThroughTenantAsync("user.created", userId, email: "dorothy@example.com", name: "Dorothy Vaughan");
        await sample.WaitForUsersAsync(users => SampleFixture.FindUser(users, userId) is not null, SyncTimeout);

        await SendThroughTenantAsync("user.deleted", userId, email: "dorothy@example.com", name: "Dorothy Vaughan");

        await sample.WaitForUsersAsync(users => SampleFixture.FindUser(users, userId) is null, SyncTimeout);
    }

    [Fact]
    public async Task HooksEndpoint_SignedWithTheWrongSecret_Returns401AndTableIsUnchanged()
    {
        var userId = "user_" + Guid.NewGuid().ToString("N")[..24];
        var forger = new FaableWebhookSigner("whsec_someone_else_entirely_000000");
        using var request = forger.CreateRequest(new Uri(sample.Origin + "/hooks/faable"), "user.created", FaableWebhookSigner.NewDeliveryId(), UserPayload(userId, "mallory@example.com", "Mallory"));

        using var response = await sample.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertNeverAppearsAsync(userId);
    }

    [Fact]
    public async Task HooksEndpoint_UnsignedDelivery_IsRefusedAndTableIsUnchanged()
    {
        var userId = "user_" + Guid.NewGuid().ToString("N")[..24];
        var body = $$"""{"id":"evt_{{Guid.NewGuid():N}}","type":"user.created","produced_at":"2026-05-12T10:30:00.123Z","payload":{{UserPayload(userId, "eve@example.com", "Eve")}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, sample.Origin + "/hooks/faable") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Faable-Event", "user.created");

        using var response = await sample.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, $"expected 400/401, got {(int)response.StatusCode}");
        await AssertNeverAppearsAsync(userId);
    }

    [Fact]
    public async Task HooksEndpoint_SignedWithTheDevelopmentSecret_IsAccepted()
    {
        var userId = "user_" + Guid.NewGuid().ToString("N")[..24];
        var signer = new FaableWebhookSigner(DevelopmentSecret);
        using var request = signer.CreateRequest(new Uri(sample.Origin + "/hooks/faable"), "user.created", FaableWebhookSigner.NewDeliveryId(), UserPayload(userId, "mary@example.com", "Mary Jackson"));

        using var response = await sample.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await sample.WaitForUsersAsync(users => SampleFixture.FindUser(users, userId) is not null, SyncTimeout);
    }

    [Fact]
    public async Task GetUsers_TokenWithoutReadUsers_Returns403()
    {
        var token = await sample.MachineTokenAsync("read:orders");

        using var response = await sample.SendAsync(HttpMethod.Get, "/users", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task SendThroughTenantAsync(string type, string userId, string? email, string name)
    {
        var request = new { type, payload = new { user = new { user_id = userId, email, name } } };
        using var response = await sample.Http.PostAsJsonAsync(sample.Tenant + "/dev/webhooks/send", request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, text);
        var deliveries = JsonDocument.Parse(text).RootElement.GetProperty("deliveries");
        var delivery = Assert.Single(deliveries.EnumerateArray());
        Assert.Equal(sample.Origin + "/hooks/faable", delivery.GetProperty("url").GetString());
        Assert.Equal(202, delivery.GetProperty("status").GetInt32());
    }

    // A refused delivery must never reach the table: wait for longer than an accepted one takes, then look.
    private async Task AssertNeverAppearsAsync(string userId)
    {
        var marker = "user_" + Guid.NewGuid().ToString("N")[..24];
        await SendThroughTenantAsync("user.created", marker, "marker@example.com", "Marker");
        var users = await sample.WaitForUsersAsync(table => SampleFixture.FindUser(table, marker) is not null, SyncTimeout);
        Assert.Null(SampleFixture.FindUser(users, userId));
    }

    private static string UserPayload(string userId, string email, string name) =>
        JsonSerializer.Serialize(new { user = new { user_id = userId, email, name } });
}
