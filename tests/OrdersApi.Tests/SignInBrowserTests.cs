using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OrdersApi.Tests.Infrastructure;

namespace OrdersApi.Tests;

/// <summary>
/// Progressive profiling in a real browser: a GitHub user without an email signs up through the hosted local tenant,
/// the post-login action sends them to the sample's profile page, and the continue action decides.
/// </summary>
[Collection(SampleGroup.Name)]
public sealed class SignInBrowserTests(SampleFixture sample) : IAsyncLifetime
{
    private const float StepTimeout = 30_000;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async ValueTask InitializeAsync() => (_playwright, _browser) = await Chromium.LaunchAsync();

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    [Fact]
    public async Task SignIn_GitHubUserWithoutEmail_AddsEmailOnProfilePageAndSeesOrders()
    {
        await using var context = await _browser!.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(StepTimeout);
        var continueUrls = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.StartsWith(sample.Tenant + "/continue", StringComparison.Ordinal))
            {
                continueUrls.Add(request.Url);
            }
        };
        var name = "Octo " + Guid.NewGuid().ToString("N")[..8];
        var email = $"octo.{Guid.NewGuid().ToString("N")[..12]}@example.com";

        await SignUpWithGitHubAsync(page, name);

        await WaitForUrlAsync(page, sample.Origin + "/profile?");
        await page.FillAsync("#email", email);
        await page.ClickAsync("#save-email");

        try
        {
            await WaitForUrlAsync(page, sample.Origin + "/callback?");
        }
        catch (PlaywrightException)
        {
            // Say where the browser ended up instead of only that it never reached the callback.
            Assert.Fail($"Never reached /callback; the browser is at {page.Url} showing: {await page.InnerTextAsync("body")}");
        }

        await page.WaitForSelectorAsync("#orders");
        Assert.Contains(name, await page.InnerTextAsync("#signed-in-as"), StringComparison.Ordinal);
        Assert.Equal("signup", await page.InnerTextAsync("#signup"));
        var rows = await page.Locator("#orders tr.order").AllInnerTextsAsync();
        Assert.Contains(rows, r => r.Contains("ord_1001", StringComparison.Ordinal));
        Assert.Single(continueUrls);

        // The users table got user.created at signup and user.updated once the profile was completed.
        var users = await sample.WaitForUsersAsync(
            table => table.EnumerateArray().Any(u => u.GetProperty("name").GetString() == name && u.GetProperty("email").GetString() == email),
            TimeSpan.FromSeconds(20));
        var user = users.EnumerateArray().Single(u => u.GetProperty("name").GetString() == name);
        Assert.Equal("user.updated", user.GetProperty("lastEvent").GetString());

        // The resume state was single-use: replaying /continue finishes nothing.
        var callbacksBefore = 0;
        page.Request += (_, request) =>
        {
            if (request.Url.StartsWith(sample.Origin + "/callback", StringComparison.Ordinal))
            {
                callbacksBefore++;
            }
        };
        var replay = await page.GotoAsync(continueUrls[0]);
        Assert.NotNull(replay);
        Assert.InRange(replay.Status, 400, 499);
        Assert.StartsWith(sample.Tenant + "/continue", page.Url, StringComparison.Ordinal);
        Assert.Equal(0, callbacksBefore);
        Assert.Equal(0, await page.Locator("#orders").CountAsync());
    }

    [Fact]
    public async Task SignIn_ProfileSubmittedWithoutEmail_IsDeniedAndNoCodeIsIssued()
    {
        await using var context = await _browser!.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(StepTimeout);
        var callbacks = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.StartsWith(sample.Origin + "/callback", StringComparison.Ordinal))
            {
                callbacks.Add(request.Url);
            }
        };
        var name = "Octo " + Guid.NewGuid().ToString("N")[..8];

        await SignUpWithGitHubAsync(page, name);
        await WaitForUrlAsync(page, sample.Origin + "/profile?");
        await page.FillAsync("#email", "");
        await page.ClickAsync("#save-email");

        var reason = page.GetByText("An email address is required.");
        await reason.WaitForAsync();
        Assert.DoesNotContain(callbacks, c => c.Contains("code=", StringComparison.Ordinal));
        Assert.Equal(0, await page.Locator("#orders").CountAsync());

        // The signup itself reached the users table through user.created; no user.updated followed.
        var users = await sample.WaitForUsersAsync(table => table.EnumerateArray().Any(u => u.GetProperty("name").GetString() == name), TimeSpan.FromSeconds(20));
        var user = users.EnumerateArray().Single(u => u.GetProperty("name").GetString() == name);
        Assert.Equal("user.created", user.GetProperty("lastEvent").GetString());
        Assert.Equal(JsonValueKind.Null, user.GetProperty("email").ValueKind);
    }

    [Fact]
    public async Task SignIn_KnownUserWithEmail_GoesStraightToOrders()
    {
        await using var context = await _browser!.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(StepTimeout);
        var profileVisits = 0;
        page.Request += (_, request) =>
        {
            if (request.Url.StartsWith(sample.Origin + "/profile", StringComparison.Ordinal))
            {
                profileVisits++;
            }
        };

        await page.GotoAsync(sample.Origin + "/");
        await page.ClickAsync("#sign-in");
        await page.ClickAsync("#user-user_66f1a2b3c4d5e6f7a8b9c0d1");

        await page.WaitForSelectorAsync("#orders");
        Assert.Contains("Ada Lovelace", await page.InnerTextAsync("#signed-in-as"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#signup").CountAsync());
        Assert.Equal(0, profileVisits);
    }

    [Fact]
    public async Task Callback_ReplayedAfterSuccess_IsRejected()
    {
        await using var context = await _browser!.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(StepTimeout);
        await page.GotoAsync(sample.Origin + "/");
        await page.ClickAsync("#sign-in");
        await page.ClickAsync("#user-user_66f1a2b3c4d5e6f7a8b9c0d2");
        await page.WaitForSelectorAsync("#orders");
        var callbackUrl = page.Url;

        var replay = await page.GotoAsync(callbackUrl);

        Assert.NotNull(replay);
        Assert.Equal(400, replay.Status);
        Assert.Equal(0, await page.Locator("#orders").CountAsync());
        Assert.Contains("already finished", await page.InnerTextAsync("#error"), StringComparison.Ordinal);
    }

    private async Task SignUpWithGitHubAsync(IPage page, string name)
    {
        await page.GotoAsync(sample.Origin + "/");
        await page.ClickAsync("#sign-in");
        await WaitForUrlAsync(page, sample.Tenant + "/authorize");
        await page.SelectOptionAsync("#connection", "github");
        await page.FillAsync("#name", name);
        await page.ClickAsync("#sign-in");
    }

    /// <summary>
    /// Waits until the page's address starts with <paramref name="prefix"/>. Uses the browser-side polling of
    /// <c>Expect(page).ToHaveURLAsync</c> rather than <c>WaitForURLAsync</c>, whose client-side wait for the load event
    /// can miss an event that arrives between its check and its subscription on a busy machine. Element actions that
    /// follow wait for their own elements.
    /// </summary>
    private static Task WaitForUrlAsync(IPage page, string prefix) =>
        Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(prefix)), new PageAssertionsToHaveURLOptions { Timeout = StepTimeout });
}
