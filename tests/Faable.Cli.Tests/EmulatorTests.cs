using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Faable.Cli.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;
using OrdersApi.Tests.Infrastructure;

namespace Faable.Cli.Tests;

/// <summary><c>faable emulator start</c> as a process, used by an API in another host and by a real browser.</summary>
public sealed class EmulatorTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public void Start_SettingsFileInTheFolder_PrintsIssuerClientsActionsAndATokenCommand()
    {
        var started = emulator.Emulator.Started;

        Assert.Equal($"http://localhost:{emulator.Emulator.Port}", emulator.Issuer);
        Assert.EndsWith("faable.emulator.json", started["settings"]!.GetValue<string>(), StringComparison.Ordinal);
        var clients = started["clients"]!.AsArray().Select(c => c!["clientId"]!.GetValue<string>()).ToList();
        Assert.Equal([EmulatorFixture.SpaClientId, EmulatorFixture.WorkerClientId], clients);
        var actions = started["actions"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal(["progressive-profiling [post-login]", "progressive-profiling [continue]"], actions);
        Assert.Equal(
            $"curl -sS -u '{EmulatorFixture.WorkerClientId}:{EmulatorFixture.WorkerSecret}' -d grant_type=client_credentials -d 'audience={EmulatorFixture.Audience}' {emulator.Issuer}/oauth/token",
            started["tokenCurl"]!.GetValue<string>());
    }

    [Fact]
    public async Task Discovery_AtTheServerRoot_NamesTheIssuerAndItsEndpoints()
    {
        using var response = await emulator.Http.GetAsync(emulator.Issuer + "/.well-known/openid-configuration", TestContext.Current.CancellationToken);
        using var discovery = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = discovery.RootElement;
        Assert.Equal(emulator.Issuer, root.GetProperty("issuer").GetString());
        Assert.Equal(emulator.Issuer + "/.well-known/jwks.json", root.GetProperty("jwks_uri").GetString());
        Assert.Equal(emulator.Issuer + "/oauth/token", root.GetProperty("token_endpoint").GetString());
        Assert.Equal(emulator.Issuer + "/authorize", root.GetProperty("authorization_endpoint").GetString());
    }

    [Fact]
    public async Task ClientCredentialsToken_IsAcceptedByFaableAspNetCoreInAnotherHost()
    {
        var token = await emulator.MachineTokenAsync();

        using var allowed = await emulator.GetOrdersAsync(token);
        using var missing = await emulator.GetOrdersAsync(null);
        using var forged = await emulator.GetOrdersAsync(token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA"));
        using var narrow = await emulator.GetOrdersAsync(await emulator.MachineTokenAsync("write:orders"));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("ord_1001", await allowed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, narrow.StatusCode);
    }

    [Fact]
    public async Task PrintedTokenCommand_RunInAShell_ReturnsATokenTheApiAccepts()
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(emulator.Emulator.Started["tokenCurl"]!.GetValue<string>());
        using var curl = Process.Start(info)!;
        var output = await curl.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await curl.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(curl.ExitCode == 0, output + await curl.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        using var json = JsonDocument.Parse(output);
        using var response = await emulator.GetOrdersAsync(json.RootElement.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TokenDoctor_EmulatorToken_IsAcceptedWithAllowHttpAndRefusedWithoutIt()
    {
        var token = await emulator.MachineTokenAsync();

        var accepted = await FaableTool.RunAsync("token", "doctor", token, "--domain", emulator.Issuer, "--audience", EmulatorFixture.Audience, "--allow-http");
        var https = await FaableTool.RunAsync("token", "doctor", token, "--domain", emulator.Issuer, "--audience", EmulatorFixture.Audience);

        Assert.True(accepted.ExitCode == 0, accepted.ToString());
        Assert.Contains("[ ok ] signature", accepted.Output, StringComparison.Ordinal);
        Assert.Contains("Verdict: the token is accepted.", accepted.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, accepted.Output + accepted.Error, StringComparison.Ordinal);
        Assert.Equal(64, https.ExitCode);
        Assert.Contains("add --allow-http", https.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cors_PreflightFromACallbackOrigin_IsAllowedAndFromAnotherOriginIsNot()
    {
        async Task<string?> PreflightAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, emulator.Issuer + "/oauth/token");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type");
            using var response = await emulator.Http.SendAsync(request, TestContext.Current.CancellationToken);
            return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
        }

        Assert.Equal(emulator.ApiOrigin, await PreflightAsync(emulator.ApiOrigin));
        Assert.Null(await PreflightAsync("http://evil.example"));
    }

    [Fact]
    public async Task BrowserSignIn_ThroughTheLoginPage_RedeemsACodeForTokensTheApiAccepts()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            await using var context = await browser.NewContextAsync();
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(30_000);
            var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
            var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
            var state = Guid.NewGuid().ToString("N");
            var authorize = $"{emulator.Issuer}/authorize?response_type=code&client_id={EmulatorFixture.SpaClientId}" +
                $"&redirect_uri={Uri.EscapeDataString(emulator.CallbackUrl)}&state={state}&nonce=n-{state}" +
                $"&code_challenge={challenge}&code_challenge_method=S256&audience={Uri.EscapeDataString(EmulatorFixture.Audience)}" +
                "&scope=" + Uri.EscapeDataString("openid profile email read:orders");

            await page.GotoAsync(authorize);
            await page.ClickAsync($"#user-{EmulatorFixture.AdaUserId}");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(emulator.CallbackUrl + "?")));
            await page.WaitForSelectorAsync("#done");

            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(page.Url).Query);
            Assert.Equal(state, query["state"].ToString());
            using var tokenResponse = await emulator.Http.PostAsync(emulator.Issuer + "/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["client_id"] = EmulatorFixture.SpaClientId,
                ["code"] = query["code"].ToString(),
                ["redirect_uri"] = emulator.CallbackUrl,
                ["code_verifier"] = verifier,
            }), TestContext.Current.CancellationToken);
            var body = await tokenResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(tokenResponse.IsSuccessStatusCode, body);
            using var tokens = JsonDocument.Parse(body);
            var accessToken = tokens.RootElement.GetProperty("access_token").GetString();
            Assert.True(tokens.RootElement.TryGetProperty("id_token", out _), body);

            using var orders = await emulator.GetOrdersAsync(accessToken);
            Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
            using var userInfoRequest = new HttpRequestMessage(HttpMethod.Get, emulator.Issuer + "/userinfo");
            userInfoRequest.Headers.Authorization = new("Bearer", accessToken);
            using var userInfo = await emulator.Http.SendAsync(userInfoRequest, TestContext.Current.CancellationToken);
            using var claims = JsonDocument.Parse(await userInfo.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal(EmulatorFixture.AdaUserId, claims.RootElement.GetProperty("sub").GetString());
            Assert.Equal("ada@example.com", claims.RootElement.GetProperty("email").GetString());
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }
}
