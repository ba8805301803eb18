using System.Net;
using Faable.Integrations.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace Faable.Integrations.Tests;

public sealed class MalformedTokenTests
{
    [Theory]
    [InlineData("YR.e30.YWJj")]
    [InlineData("e30.YR.YWJj")]
    [InlineData("e30.e30.YR")]
    public async Task Request_Base64WithNonZeroPaddingBits_Is401AndTheDoctorAgrees(string token)
    {
        await using var api = await TestApi.StartAsync(app => app.MapGet("/orders", () => "orders").RequireScope("read:orders"));

        var response = await api.Client.SendAsync(TestApi.Get("/orders", token), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var doctor = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Faable.AspNetCore.Diagnostics.FaableTokenDoctor>(api.Services);
        var diagnosis = await doctor.DiagnoseAsync(token, TestContext.Current.CancellationToken);
        Assert.Equal("malformed", body.RootElement.GetProperty("reason").GetString());
        Assert.Equal("malformed", diagnosis.Reason);
    }
}
