using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrdersApi.Tests.Infrastructure;

namespace OrdersApi.Tests;

/// <summary><c>GET /orders</c>, <c>POST /orders</c> and <c>GET /me</c> over HTTP with tokens from the hosted local tenant.</summary>
[Collection(SampleGroup.Name)]
public sealed class OrdersEndpointsTests(SampleFixture sample)
{
    [Fact]
    public async Task GetOrders_MachineTokenWithReadOrders_Returns200WithOrders()
    {
        var token = await sample.MachineTokenAsync("read:orders");

        using var response = await sample.SendAsync(HttpMethod.Get, "/orders", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var orders = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Contains(orders.EnumerateArray(), o => o.GetProperty("id").GetString() == "ord_1001" && o.GetProperty("customer").GetString() == "Northwind Traders");
    }

    [Fact]
    public async Task GetOrders_TokenWithoutReadOrders_Returns403InsufficientScope()
    {
        var token = await sample.MachineTokenAsync("read:users");

        using var response = await sample.SendAsync(HttpMethod.Get, "/orders", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = string.Join(" ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));
        Assert.Contains("error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
        Assert.Contains("read:orders", challenge, StringComparison.Ordinal);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("insufficient_scope", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task GetOrders_NoToken_Returns401MissingToken()
    {
        using var response = await sample.SendAsync(HttpMethod.Get, "/orders", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("missing_token", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task GetOrders_TokenWithAlteredSignature_Returns401InvalidToken()
    {
        var token = await sample.MachineTokenAsync("read:orders");
        var last = token[^2] == 'A' ? 'B' : 'A';
        var tampered = token[..^2] + last + token[^1];

        using var response = await sample.SendAsync(HttpMethod.Get, "/orders", tampered);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("invalid_token", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PostOrders_ValidBody_Returns201AndTheOrderIsListed()
    {
        var token = await sample.MachineTokenAsync("read:orders write:orders");
        var body = JsonContent.Create(new { customer = "Tailspin Toys", lines = new[] { new { sku = "KB-104", quantity = 3, unitPrice = 49.90m } } });

        using var created = await sample.SendAsync(HttpMethod.Post, "/orders", token, body);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var order = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var id = order.GetProperty("id").GetString();
        Assert.Equal(149.70m, order.GetProperty("total").GetDecimal());
        Assert.Equal("orders-worker", order.GetProperty("createdBy").GetString());
        Assert.Equal($"/orders/{id}", created.Headers.Location?.OriginalString);
        using var list = await sample.SendAsync(HttpMethod.Get, "/orders", token);
        var orders = await list.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Contains(orders.EnumerateArray(), o => o.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task PostOrders_InvalidFields_Returns400ProblemJsonNamingEachField()
    {
        var token = await sample.MachineTokenAsync("write:orders");
        var body = JsonContent.Create(new { customer = "", lines = new object[] { new { sku = "kb 104", quantity = 0, unitPrice = -1 } } });

        using var response = await sample.SendAsync(HttpMethod.Post, "/orders", token, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("customer", out _));
        Assert.True(errors.TryGetProperty("lines[0].sku", out _));
        Assert.True(errors.TryGetProperty("lines[0].quantity", out _));
        Assert.True(errors.TryGetProperty("lines[0].unitPrice", out _));
    }

    [Fact]
    public async Task PostOrders_NoLines_Returns400ProblemJson()
    {
        var token = await sample.MachineTokenAsync("write:orders");

        using var response = await sample.SendAsync(HttpMethod.Post, "/orders", token, JsonContent.Create(new { customer = "Tailspin Toys" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.GetProperty("errors").TryGetProperty("lines", out _));
    }

    [Theory]
    [InlineData("{\"customer\":")]
    [InlineData("{\"customer\":\"A\",\"lines\":\"many\"}")]
    [InlineData("[]")]
    public async Task PostOrders_MalformedJson_Returns400ProblemJson(string json)
    {
        var token = await sample.MachineTokenAsync("write:orders");

        using var response = await sample.SendAsync(HttpMethod.Post, "/orders", token, new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PostOrders_NotJson_Returns415ProblemJson()
    {
        var token = await sample.MachineTokenAsync("write:orders");

        using var response = await sample.SendAsync(HttpMethod.Post, "/orders", token, new StringContent("customer=A", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PostOrders_TokenWithReadOrdersOnly_Returns403InsufficientScope()
    {
        var token = await sample.MachineTokenAsync("read:orders");
        var body = JsonContent.Create(new { customer = "Tailspin Toys", lines = new[] { new { sku = "KB-104", quantity = 1, unitPrice = 1m } } });

        using var response = await sample.SendAsync(HttpMethod.Post, "/orders", token, body);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("insufficient_scope", problem.GetProperty("error").GetString());
    }

    [Fact]
    public async Task GetMe_MachineToken_DescribesTheMachineCallerAndItsScopes()
    {
        var token = await sample.MachineTokenAsync("read:orders read:users");

        using var response = await sample.SendAsync(HttpMethod.Get, "/me", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("orders-worker", me.GetProperty("subject").GetString());
        Assert.Equal("machine", me.GetProperty("kind").GetString());
        Assert.Equal(["read:orders", "read:users"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).ToArray());
    }

    [Fact]
    public async Task GetMe_NoToken_Returns401()
    {
        using var response = await sample.SendAsync(HttpMethod.Get, "/me", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TokenEndpoint_NoScopeRequested_GrantsTheWholeCatalog()
    {
        var token = await sample.MachineTokenAsync();

        using var response = await sample.SendAsync(HttpMethod.Get, "/me", token);

        var me = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(["read:orders", "read:users", "write:orders"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).ToArray());
    }
}
