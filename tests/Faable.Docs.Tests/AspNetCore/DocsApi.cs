using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Faable.Docs.Tests.AspNetCore;

/// <summary>What the examples run in: a <see cref="WebApplicationBuilder"/> on a TestServer with a Faable section.</summary>
internal static class DocsApi
{
    public const string Audience = "https://orders.example.com";

    public static WebApplicationBuilder CreateBuilder(string environment = "Production", IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Faable:Domain"] = "acme.auth.faable.link",
            ["Faable:Audience"] = Audience,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        return builder;
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? token)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<int> StatusAsync(HttpClient client, HttpMethod method, string path, string? token)
    {
        using var response = await SendAsync(client, method, path, token);
        return (int)response.StatusCode;
    }
}
